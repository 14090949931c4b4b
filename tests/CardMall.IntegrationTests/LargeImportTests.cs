using System.Net.Http.Json;
using System.Text.Json;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;

namespace CardMall.IntegrationTests;

/// <summary>A supplier's whole file in one request: 100,000 lines, no time-out, every key usable.</summary>
public sealed class LargeImportTests(ShopFixture shop) : IClassFixture<ShopFixture>
{
    [Fact]
    public async Task A_batch_of_100000_lines_imports_in_one_request_and_its_keys_sell()
    {
        var testShop = new TestShop(shop.Factory);
        var (sku, _) = await testShop.ProductWithKeysAsync(0);
        var lines = Enumerable.Range(0, 100_000).Select(i => $"BULK{i:D6}-{Guid.NewGuid():N}----pw{i}").ToList();
        lines.Add(lines[0]); // one duplicate at the very end must still be caught

        var result = await testShop.ImportAsync(sku, lines);

        Assert.Equal(100_000, result.GetProperty("imported").GetInt32());
        var rejected = result.GetProperty("rejected").EnumerateArray().Single();
        Assert.Equal(100_001, rejected.GetProperty("line").GetInt32());
        var buyer = await testShop.BuyerAsync(100.00m);
        var client = shop.Factory.ApiClient(buyer.ApiKey);
        var product = await client.GetFromJsonAsync<JsonElement>($"/api/v1/products/{sku}");
        Assert.Equal(100_000, product.GetProperty("stock").GetInt32());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders") { Content = JsonContent.Create(new { sku, quantity = 3, acceptNotices = true }) };
        request.Headers.Add("Idempotency-Key", "bulk-1");
        var order = await (await client.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.All(order.GetProperty("items").EnumerateArray(), i => Assert.StartsWith("BULK", i.GetProperty("code").GetString(), StringComparison.Ordinal));
    }
}
