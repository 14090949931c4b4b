using System.Net.Http.Json;
using System.Text.Json;

namespace CardMall.IntegrationTests.Staff;

internal static class ApiProblem
{
    /// <summary>The problem+json body of a refused API call.</summary>
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
