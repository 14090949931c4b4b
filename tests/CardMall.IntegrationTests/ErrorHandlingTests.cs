using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace CardMall.IntegrationTests;

/// <summary>
/// A fault nobody expected: the buyer sees a friendly page, the API a 500 problem — never a stack trace; the log
/// gets the exception's type and stack, never its message (which here holds a card key).
/// </summary>
public sealed class ErrorHandlingTests(ErrorHandlingTests.BrokenShop shop) : IClassFixture<ErrorHandlingTests.BrokenShop>
{
    private const string Secret = "CARD-KEY-1234-SECRET";

    [Fact]
    public async Task The_api_answers_a_crash_with_a_500_problem_that_hides_the_details()
    {
        var buyer = await TestAccounts.CreateAsync(shop.Factory);

        var response = await shop.Factory.ApiClient(buyer.ApiKey).GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal("internal_error", problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_crash_shows_the_friendly_error_page()
    {
        var response = await shop.Factory.CreateClient().GetAsync("/");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("抱歉，出了点问题", html, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, html, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_api_crash_logs_the_exception_type_and_stack_but_never_its_message()
    {
        var buyer = await TestAccounts.CreateAsync(shop.Factory);

        var response = await shop.Factory.ApiClient(buyer.ApiKey).GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        AssertLoggedWithoutMessage("GET /api/v1/me");
    }

    [Fact]
    public async Task A_page_crash_logs_the_exception_type_and_stack_but_never_its_message()
    {
        var response = await shop.Factory.CreateClient().GetAsync("/");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        AssertLoggedWithoutMessage("GET /");
    }

    // What an unhandled exception may write: its type and stack (where to look), the request and trace id —
    // not its message, which quotes whatever the use case was handling (here a card key).
    private void AssertLoggedWithoutMessage(string request)
    {
        var lines = shop.Factory.Logs.Lines;
        Assert.Contains(lines, l => l.StartsWith("Error ", StringComparison.Ordinal)
            && l.Contains("Unhandled System.InvalidOperationException on " + request, StringComparison.Ordinal)
            && l.Contains(" at ", StringComparison.Ordinal)
            && l.Contains(nameof(CrashingMediator), StringComparison.Ordinal));
        Assert.DoesNotContain(Secret, shop.Factory.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain("Bug while handling", shop.Factory.Logs.All, StringComparison.Ordinal);
    }

    /// <summary>The shop with a mediator that crashes on every request, like a bug deep in a use case.</summary>
    public sealed class BrokenShop : ShopFixture
    {
        protected override ShopFactory CreateFactory(string connectionString) => new(connectionString)
        {
            Configure = services => services.AddScoped<IMediator, CrashingMediator>(),
        };
    }

    private sealed class CrashingMediator : IMediator
    {
        public Task<TResponse> Send<TResponse>(IRequest<TResponse> request, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("Bug while handling " + Secret);

        public Task Publish<TNotification>(TNotification notification, CancellationToken cancellationToken = default)
            where TNotification : INotification => throw new InvalidOperationException("Bug");
    }
}
