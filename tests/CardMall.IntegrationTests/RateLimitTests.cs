using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CardMall.IntegrationTests;

/// <summary>
/// Floods are refused with 429 and a Retry-After in whole seconds — problem+json <c>rate_limited</c> on the API,
/// a page that says how long to wait on pages — while another key, person, address or supplier carries on, and
/// a client that waits as told gets through. The shop here runs with small limits so that floods are short.
/// </summary>
public sealed class RateLimitTests(RateLimitTests.LimitedShop shop) : IClassFixture<RateLimitTests.LimitedShop>
{
    private const int ApiBurst = 5;
    private const int ApiPerSecond = 1;

    [Fact]
    public async Task An_api_key_flooding_the_api_gets_429_with_retry_after_while_another_key_is_served()
    {
        var flooder = await TestAccounts.CreateAsync(shop.Factory);
        var neighbour = await TestAccounts.CreateAsync(shop.Factory);
        var api = shop.Factory.ApiClient(flooder.ApiKey);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < ApiBurst * 4 && refused is null; i++)
        {
            var response = await api.GetAsync("/api/v1/me");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) refused = response;
        }

        Assert.NotNull(refused);
        Assert.True(statuses.Count(s => s == HttpStatusCode.OK) >= ApiBurst, $"only {statuses.Count(s => s == HttpStatusCode.OK)} calls before the 429");
        Assert.Equal("application/problem+json", refused!.Content.Headers.ContentType?.MediaType);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("rate_limited", problem.GetProperty("code").GetString());
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        var wait = RetryAfter(refused);
        Assert.InRange(wait, 1, 60);

        Assert.Equal(HttpStatusCode.OK, (await shop.Factory.ApiClient(neighbour.ApiKey).GetAsync("/api/v1/me")).StatusCode);

        await Task.Delay(TimeSpan.FromSeconds(wait));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task A_client_that_waits_as_retry_after_says_gets_every_request_through()
    {
        var reseller = await TestAccounts.CreateAsync(shop.Factory);
        var api = shop.Factory.ApiClient(reseller.ApiKey);
        var served = 0;
        var refusals = 0;
        var waited = false;

        for (var attempts = 0; served < ApiBurst * 2 && attempts < 100; attempts++)
        {
            var response = await api.GetAsync("/api/v1/me");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                served++;
                waited = false;
                continue;
            }
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            // Having waited as told, the next request is served: a refusal never follows a wait.
            Assert.False(waited, "refused again after waiting as Retry-After said");
            refusals++;
            await Task.Delay(TimeSpan.FromSeconds(RetryAfter(response)));
            waited = true;
        }

        Assert.Equal(ApiBurst * 2, served);
        Assert.True(refusals > 0, "the client never met the limit");
    }

    [Fact]
    public async Task Redeeming_is_limited_per_person_with_a_429_page_and_another_person_can_still_redeem()
    {
        var guesser = await TestAccounts.CreateAsync(shop.Factory);
        var other = await TestAccounts.CreateAsync(shop.Factory);
        using var web = await SignedInAsync(guesser, "10.1.0.1");

        for (var i = 0; i < LimitedShop.RedeemPerUser; i++)
            Assert.Equal(HttpStatusCode.OK, (await RedeemAsync(web, "GUESS-" + i)).Status);
        var refused = await RedeemAsync(web, "GUESS-LAST", keepResponse: true);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.InRange(refused.RetryAfter, 1, 601); // the window, plus the second every refusal adds
        Assert.Contains("请求太频繁了", refused.Html, StringComparison.Ordinal);
        Assert.Contains($"请 {refused.RetryAfter} 秒后再试", refused.Html, StringComparison.Ordinal);

        using var otherWeb = await SignedInAsync(other, "10.1.0.2");
        Assert.Equal(HttpStatusCode.OK, (await RedeemAsync(otherWeb, "GUESS-OTHER")).Status);
    }

    [Fact]
    public async Task Redeeming_is_limited_per_address_even_for_fresh_accounts_and_another_address_is_served()
    {
        const string address = "10.2.0.1";
        var tries = 0;
        while (tries < LimitedShop.RedeemPerAddress)
        {
            using var web = await SignedInAsync(await TestAccounts.CreateAsync(shop.Factory), address);
            for (var i = 0; i < LimitedShop.RedeemPerUser && tries < LimitedShop.RedeemPerAddress; i++, tries++)
                Assert.Equal(HttpStatusCode.OK, (await RedeemAsync(web, "ROTATE-" + tries)).Status);
        }

        using var fresh = await SignedInAsync(await TestAccounts.CreateAsync(shop.Factory), address);
        var refused = await RedeemAsync(fresh, "ROTATE-FRESH", keepResponse: true);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.True(refused.RetryAfter >= 1);

        using var elsewhere = await SignedInAsync(await TestAccounts.CreateAsync(shop.Factory), "10.2.0.2");
        Assert.Equal(HttpStatusCode.OK, (await RedeemAsync(elsewhere, "ELSEWHERE")).Status);
    }

    [Fact]
    public async Task Filing_and_replying_to_tickets_is_limited_per_person_and_another_buyer_is_unaffected()
    {
        var writer = await TestAccounts.CreateAsync(shop.Factory);
        var other = await TestAccounts.CreateAsync(shop.Factory);
        var api = shop.Factory.ApiClient(writer.ApiKey);

        // Replies to a ticket that is not theirs and a filing for an order that does not exist: refused, but counted.
        for (var i = 0; i < LimitedShop.TicketWrites - 1; i++)
            Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsJsonAsync("/api/v1/tickets/TK-NONE/messages", new { body = "还在吗？" })).StatusCode);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await api.PostAsJsonAsync("/api/v1/tickets",
            new { orderNo = "NO-SUCH-ORDER", itemIds = Array.Empty<Guid>(), category = "key_invalid", description = "无法激活" })).StatusCode);

        var refused = await api.PostAsJsonAsync("/api/v1/tickets/TK-NONE/messages", new { body = "在吗？" });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("rate_limited", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.True(RetryAfter(refused) >= 1);
        var filing = await api.PostAsJsonAsync("/api/v1/tickets",
            new { orderNo = "NO-SUCH-ORDER", itemIds = Array.Empty<Guid>(), category = "key_invalid", description = "无法激活" });
        Assert.Equal(HttpStatusCode.TooManyRequests, filing.StatusCode);

        var neighbour = await shop.Factory.ApiClient(other.ApiKey).PostAsJsonAsync("/api/v1/tickets/TK-NONE/messages", new { body = "你好" });
        Assert.Equal(HttpStatusCode.NotFound, neighbour.StatusCode);
    }

    [Fact]
    public async Task A_supplier_code_flooded_with_webhooks_gets_429_and_another_supplier_is_still_heard()
    {
        var client = shop.Factory.CreateClient();
        var flooded = "SUP-" + Guid.NewGuid().ToString("N")[..8];

        for (var i = 0; i < LimitedShop.WebhooksPerSupplier; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await PostWebhookAsync(client, flooded)).StatusCode);
        var refused = await PostWebhookAsync(client, flooded);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("rate_limited", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.True(RetryAfter(refused) >= 1);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostWebhookAsync(client, "SUP-" + Guid.NewGuid().ToString("N")[..8])).StatusCode);
    }

    private static Task<HttpResponseMessage> PostWebhookAsync(HttpClient client, string supplier)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/webhooks/suppliers/{supplier}/activations")
        {
            Content = JsonContent.Create(new { code = "UNKNOWN-CODE", deviceId = "d1", at = DateTimeOffset.UtcNow, result = "failed" }),
        };
        request.Headers.Add("X-CardMall-Signature", "sha256=" + new string('0', 64));
        return client.SendAsync(request);
    }

    private static int RetryAfter(HttpResponseMessage response) =>
        int.Parse(Assert.Single(response.Headers.GetValues("Retry-After")), NumberStyles.None, CultureInfo.InvariantCulture);

    private async Task<WebSession> SignedInAsync(TestAccount account, string address)
    {
        var web = new WebSession(shop.Factory, "zh-CN");
        web.Client.DefaultRequestHeaders.Add(LimitedShop.AddressHeader, address);
        var signedIn = await web.SignInAsync(account.Email, account.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.Status);
        return web;
    }

    private sealed record RedeemAttempt(HttpStatusCode Status, string Html, int RetryAfter);

    private static async Task<RedeemAttempt> RedeemAsync(WebSession web, string code, bool keepResponse = false)
    {
        var form = await web.GetAsync("/Redeem");
        Assert.Equal(HttpStatusCode.OK, form.Status);
        var token = form.Document.QuerySelector("form[data-testid=redeem-form] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var response = await web.Client.PostAsync("/Redeem", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Input.Code"] = code,
        }));
        var html = await response.Content.ReadAsStringAsync();
        var wait = response.Headers.TryGetValues("Retry-After", out var values)
            ? int.Parse(values.Single(), NumberStyles.None, CultureInfo.InvariantCulture)
            : 0;
        return new RedeemAttempt(response.StatusCode, keepResponse ? html : "", wait);
    }

    /// <summary>The shop with small limits, and each test's client address taken from a test header.</summary>
    public sealed class LimitedShop : ShopFixture
    {
        public const string AddressHeader = "X-Test-Client-Address";
        public const int RedeemPerUser = 3;
        public const int RedeemPerAddress = 5;
        public const int TicketWrites = 3;
        public const int WebhooksPerSupplier = 3;

        protected override ShopFactory CreateFactory(string connectionString)
        {
            var factory = new ShopFactory(connectionString)
            {
                Configure = services => services.AddSingleton<IStartupFilter>(new ClientAddressFromHeader()),
            };
            factory.Settings["CardMall:RateLimits:ApiBurst"] = ApiBurst.ToString(CultureInfo.InvariantCulture);
            factory.Settings["CardMall:RateLimits:ApiRequestsPerSecond"] = ApiPerSecond.ToString(CultureInfo.InvariantCulture);
            factory.Settings["CardMall:RateLimits:RedeemPerUser:Permits"] = RedeemPerUser.ToString(CultureInfo.InvariantCulture);
            factory.Settings["CardMall:RateLimits:RedeemPerAddress:Permits"] = RedeemPerAddress.ToString(CultureInfo.InvariantCulture);
            factory.Settings["CardMall:RateLimits:TicketWritesPerUser:Permits"] = TicketWrites.ToString(CultureInfo.InvariantCulture);
            factory.Settings["CardMall:RateLimits:SupplierWebhooksPerSupplier:Permits"] = WebhooksPerSupplier.ToString(CultureInfo.InvariantCulture);
            return factory;
        }
    }

    /// <summary>The in-memory test server has no client address: each test names one, as a real connection would have.</summary>
    private sealed class ClientAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[LimitedShop.AddressHeader].ToString(), out var address))
                    context.Connection.RemoteIpAddress = address;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
