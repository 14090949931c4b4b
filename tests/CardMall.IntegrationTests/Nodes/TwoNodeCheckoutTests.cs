using System.Net;
using System.Net.Http.Json;
using CardMall.IntegrationTests.Chats;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;

namespace CardMall.IntegrationTests.Nodes;

/// <summary>
/// Buyers racing for a hot product through two nodes at once get exactly the keys there are, and the checks the fault
/// benchmark runs after each fault (<c>bench/integrity.sql</c>, the same file) find nothing wrong: no key sold twice,
/// every order with exactly its keys, every wallet equal to its ledger, no payment without its order.
/// </summary>
public sealed class TwoNodeCheckoutTests(TwoNodeShop shop) : IClassFixture<TwoNodeShop>
{
    [Fact]
    public async Task Buyers_racing_through_two_nodes_get_exactly_the_keys_there_are_and_every_integrity_check_holds()
    {
        var stock = new TestShop(shop.Factory);
        var (sku, _) = await stock.ProductWithKeysAsync(12, price: 10.00m);
        var buyers = new List<TestAccount>();
        for (var i = 0; i < 30; i++) buyers.Add(await stock.BuyerAsync(25.00m));

        var responses = await Task.WhenAll(buyers.Select((b, i) => Task.Run(() => BuyAsync(i % 2 == 0 ? shop.Factory : shop.NodeB, b, sku))));

        Assert.Equal(12, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        await IntegrityChecks.AssertHoldAsync(shop.Database);
    }

    private static Task<HttpResponseMessage> BuyAsync(ShopFactory node, TestAccount buyer, string sku)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders") { Content = JsonContent.Create(new { sku, quantity = 1, acceptNotices = true }) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return node.ApiClient(buyer.ApiKey).SendAsync(request);
    }
}
