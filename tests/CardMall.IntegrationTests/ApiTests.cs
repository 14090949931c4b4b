using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CardMall.Domain.Accounts;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;

namespace CardMall.IntegrationTests;

/// <summary>The JSON API's authentication and error contract (../shared/docs/api.md).</summary>
public sealed class ApiTests(ShopFixture shop) : IClassFixture<ShopFixture>
{
    private ShopFactory App => shop.Factory;

    [Fact]
    public async Task Me_tells_the_caller_who_the_api_key_acts_as()
    {
        var reseller = await TestAccounts.CreateAsync(App, ShopRoles.Reseller, MemberTier.Reseller);

        var response = await App.ApiClient(reseller.ApiKey).GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(reseller.UserId, me.GetProperty("userId").GetGuid());
        Assert.Equal(reseller.Email, me.GetProperty("email").GetString());
        Assert.Equal(["Reseller"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString() ?? "").ToArray());
        Assert.Equal("reseller", me.GetProperty("tier").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("cm_this-key-does-not-exist")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task A_missing_or_wrong_api_key_gets_401_problem_json(string? key)
    {
        var client = App.ApiClient(null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        if (key is not null)
            request.Headers.TryAddWithoutValidation("Authorization", key.StartsWith("Basic", StringComparison.Ordinal) ? key : "Bearer " + key);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Equal("unauthorized", problem.GetProperty("code").GetString());
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task A_revoked_api_key_stops_working_at_once()
    {
        var buyer = await TestAccounts.CreateAsync(App);
        using var web = new WebSession(App);
        await web.SignInAsync(buyer.Email, buyer.Password);
        var created = await web.SubmitAsync("/Account/Manage/ApiKeys", "form[data-testid=create-api-key-form]", new Dictionary<string, string> { ["Input.Name"] = "my shop" });
        var plain = created.Document.QuerySelector("[data-testid=new-api-key-value]")?.TextContent.Trim();
        Assert.StartsWith("cm_", plain, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await App.ApiClient(plain).GetAsync("/api/v1/me")).StatusCode);

        // The list shows the key's hint, never the key.
        var list = await web.GetAsync("/Account/Manage/ApiKeys");
        Assert.DoesNotContain(plain!, list.Html, StringComparison.Ordinal);
        var revoke = list.Document.QuerySelectorAll("table[data-testid=api-keys] form")[0];
        await web.Client.PostAsync(revoke.GetAttribute("action"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = revoke.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!,
        }));

        Assert.Equal(HttpStatusCode.Unauthorized, (await App.ApiClient(plain).GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task Nobody_can_revoke_somebody_elses_api_key()
    {
        var victim = await TestAccounts.CreateAsync(App);
        var attacker = await TestAccounts.CreateAsync(App);
        Guid victimKeyId;
        using (var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateScope(App.Services))
        {
            var db = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<CardMall.Infrastructure.Persistence.CardMallDbContext>(scope.ServiceProvider);
            victimKeyId = db.ApiKeys.Single(k => k.UserId == victim.UserId).Id;
        }
        using var web = new WebSession(App);
        await web.SignInAsync(attacker.Email, attacker.Password);
        var page = await web.GetAsync("/Account/Manage/ApiKeys");
        var token = page.Document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        var response = await web.Client.PostAsync($"/Account/Manage/ApiKeys?handler=Revoke&id={victimKeyId}",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await App.ApiClient(victim.ApiKey).GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task Failed_sign_ins_by_a_stranger_do_not_cut_off_a_resellers_api_key()
    {
        var reseller = await TestAccounts.CreateAsync(App, ShopRoles.Reseller, MemberTier.Reseller);
        using var stranger = new WebSession(App);
        for (var i = 0; i < 6; i++)
            await stranger.SignInAsync(reseller.Email, "guessing-123");

        var response = await App.ApiClient(reseller.ApiKey).GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_buyer_calling_an_operator_endpoint_gets_403_problem_json()
    {
        var buyer = await TestAccounts.CreateAsync(App);

        var response = await App.ApiClient(buyer.ApiKey).PostAsJsonAsync("/api/v1/admin/users",
            new { email = "x@example.test", password = "Passw0rd123", role = "Admin", tier = "regular" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("forbidden", (await ProblemAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Bad_input_gets_400_validation_failed_with_every_field_error()
    {
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);

        var response = await App.ApiClient(op.ApiKey).PostAsJsonAsync("/api/v1/admin/users",
            new { email = "nope", password = "short", role = "Wizard", tier = "gold" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "email", "password", "role", "tier" })
            Assert.True(errors.TryGetProperty(field, out var messages) && messages.GetArrayLength() > 0, $"no error for {field}");
    }

    [Fact]
    public async Task A_body_that_is_not_json_gets_400_validation_failed_not_500()
    {
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);

        var response = await App.ApiClient(op.ApiKey).PostAsync("/api/v1/admin/users",
            new StringContent("{ this is not json", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        // Like every validation failure it carries an errors map; with no field to name, the body is at fault.
        var body = Assert.Single(problem.GetProperty("errors").EnumerateObject());
        Assert.Equal("body", body.Name);
        Assert.Contains("JSON", body.Value[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_operator_creates_a_user_whose_new_api_key_works()
    {
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);
        var email = $"agent-{Guid.NewGuid():N}@example.test";

        var response = await App.ApiClient(op.ApiKey).PostAsJsonAsync("/api/v1/admin/users",
            new { email, password = "Passw0rd123", role = "Agent", tier = "regular" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var me = await App.ApiClient(created.GetProperty("apiKey").GetString()).GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal(email, me.GetProperty("email").GetString());
        Assert.Equal(["Agent"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString() ?? "").ToArray());
    }

    [Fact]
    public async Task An_unknown_api_route_is_a_404_problem_and_an_unknown_page_a_friendly_404_page()
    {
        var buyer = await TestAccounts.CreateAsync(App);

        var api = await App.ApiClient(buyer.ApiKey).GetAsync("/api/v1/no-such-thing");
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("not_found", (await ProblemAsync(api)).GetProperty("code").GetString());

        var page = await App.CreateClient().GetAsync("/no-such-page");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("页面不存在", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_endpoints_report_live_and_ready()
    {
        var client = App.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_openapi_description_is_served()
    {
        var doc = await App.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        Assert.True(doc.GetProperty("paths").TryGetProperty("/api/v1/me", out _));
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
