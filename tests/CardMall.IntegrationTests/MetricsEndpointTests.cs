using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using CardMall.Domain.Accounts;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;

namespace CardMall.IntegrationTests;

/// <summary>
/// The operators' Prometheus scrape at /metrics: refused to visitors and buyers (with a key or signed in on the
/// site), and for an Operator's key it lists the shop's own counters, which move when an order is placed.
/// </summary>
public sealed class MetricsEndpointTests(ShopFixture shop) : IClassFixture<ShopFixture>
{
    private readonly TestShop _shop = new(shop.Factory);

    [Fact]
    public async Task A_visitor_gets_401_and_no_figures()
    {
        var response = await shop.Factory.CreateClient().GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("cardmall_", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_buyer_is_refused_with_an_api_key_and_when_signed_in_on_the_site()
    {
        var buyer = await _shop.BuyerAsync(0m);
        using var web = new WebSession(shop.Factory);
        await web.SignInAsync(buyer.Email, buyer.Password);

        var withKey = await shop.Factory.ApiClient(buyer.ApiKey).GetAsync("/metrics");
        var signedIn = await web.Client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.Forbidden, withKey.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.DoesNotContain("cardmall_", await withKey.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("cardmall_", await signedIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_operator_sees_the_orders_counter_and_checkout_time_move_after_an_order()
    {
        var op = await _shop.OperatorAsync();
        var (sku, _) = await _shop.ProductWithKeysAsync(2, price: 10.00m);
        var buyer = await _shop.BuyerAsync(30.00m);
        // Other test classes place orders at the same time: the counters only ever go up by at least ours.
        var before = await ScrapeAsync(op);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders") { Content = JsonContent.Create(new { sku, quantity = 2, acceptNotices = true }) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var order = await shop.Factory.ApiClient(buyer.ApiKey).SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, order.StatusCode);
        var after = await ScrapeAsync(op);

        Assert.True(Value(after, "cardmall_orders_placed") >= Value(before, "cardmall_orders_placed") + 1, after);
        Assert.True(Value(after, "cardmall_keys_sold") >= Value(before, "cardmall_keys_sold") + 2, after);
        Assert.True(Value(after, "cardmall_checkout_duration_count") >= Value(before, "cardmall_checkout_duration_count") + 1, after);
        // The framework's own figures are there too (ASP.NET Core's request duration).
        Assert.Contains("http_server_request_duration", after, StringComparison.Ordinal);
    }

    private async Task<string> ScrapeAsync(TestAccount op)
    {
        var response = await shop.Factory.ApiClient(op.ApiKey).GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The sum of a metric's samples over all its label sets; 0 when it has none yet.</summary>
    private static double Value(string scrape, string metric) =>
        scrape.Split('\n')
            .Where(l => l.StartsWith(metric + " ", StringComparison.Ordinal) || l.StartsWith(metric + "{", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
}
