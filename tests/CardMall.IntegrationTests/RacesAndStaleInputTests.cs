using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using Npgsql;

namespace CardMall.IntegrationTests;

/// <summary>Races and stale inputs around orders, stock and adjustments.</summary>
public sealed class RacesAndStaleInputTests(ShopFixture shop) : IClassFixture<ShopFixture>
{
    private readonly TestShop _shop = new(shop.Factory);

    [Fact]
    public async Task A_wallet_adjustment_retried_five_times_at_once_with_one_key_is_applied_once()
    {
        var op = await _shop.OperatorAsync();
        var buyer = await _shop.BuyerAsync(0);
        var client = shop.Factory.ApiClient(op.ApiKey);

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/admin/users/{buyer.UserId}/wallet/adjustments")
            { Content = JsonContent.Create(new { amount = 30.00m, reason = "compensation for a late key" }) };
            request.Headers.Add("Idempotency-Key", "adj-1");
            return client.SendAsync(request);
        })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(30.00m, await BalanceAsync(buyer));
        var reused = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/admin/users/{buyer.UserId}/wallet/adjustments")
        { Content = JsonContent.Create(new { amount = 31.00m, reason = "other" }) };
        reused.Headers.Add("Idempotency-Key", "adj-1");
        Assert.Equal((HttpStatusCode)422, (await client.SendAsync(reused)).StatusCode);
        Assert.Equal(30.00m, await BalanceAsync(buyer));
    }

    [Fact]
    public async Task Buying_against_notices_the_buyer_did_not_see_is_refused_and_takes_nothing()
    {
        var (sku, _) = await _shop.ProductWithKeysAsync(2);
        var buyer = await _shop.BuyerAsync(50.00m);

        var stale = await BuyAsync(buyer, sku, 1, "n1", noticesVersion: 0);
        var current = await BuyAsync(buyer, sku, 1, "n2", noticesVersion: 1);

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("invalid_state", (await stale.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Created, current.StatusCode);
        Assert.Equal(40.00m, await BalanceAsync(buyer));
    }

    [Fact]
    public async Task Two_orders_at_once_cannot_both_slip_under_the_daily_limit()
    {
        var (sku, _) = await _shop.ProductWithKeysAsync(10, maxPerBuyerPerDay: 1);
        var buyer = await _shop.BuyerAsync(100.00m);

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => BuyAsync(buyer, sku, 1, "d" + i))));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Equal(90.00m, await BalanceAsync(buyer));
    }

    [Fact]
    public async Task Expired_keys_are_not_counted_as_stock_and_are_never_sold()
    {
        var (sku, _) = await _shop.ProductWithKeysAsync(2);
        var buyer = await _shop.BuyerAsync(100.00m);
        await using (var conn = new NpgsqlConnection(shop.Database.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("UPDATE card_keys SET expires_at = now() - interval '1 day' FROM products p WHERE p.id = card_keys.product_id AND p.sku = $1", conn);
            cmd.Parameters.AddWithValue(sku);
            await cmd.ExecuteNonQueryAsync();
        }

        var product = await shop.Factory.ApiClient(buyer.ApiKey).GetFromJsonAsync<JsonElement>($"/api/v1/products/{sku}");
        var order = await BuyAsync(buyer, sku, 1, "e1");

        Assert.Equal(0, product.GetProperty("stock").GetInt32());
        Assert.Equal("sold_out", product.GetProperty("stockLevel").GetString());
        Assert.Equal(HttpStatusCode.Conflict, order.StatusCode);
        Assert.Equal(100.00m, await BalanceAsync(buyer));
    }

    [Fact]
    public async Task Five_operators_creating_one_sku_at_once_get_one_product_and_no_server_error()
    {
        var op = await _shop.OperatorAsync();
        var client = shop.Factory.ApiClient(op.ApiKey);
        var sku = "RACE-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(() => client.PostAsJsonAsync("/api/v1/admin/products", new
        {
            sku,
            name = "竞速商品",
            nameEn = "Race product",
            category = "game-cards",
            faceValue = 10,
            price = 9.9m,
            validityDays = 30,
            deviceLimit = 1,
            regions = "CN",
            maxPerOrder = 5,
        }))));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created),
            r => Assert.True(r.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Conflict, $"got {(int)r.StatusCode}"));
    }

    private Task<HttpResponseMessage> BuyAsync(TestAccount buyer, string sku, int quantity, string idempotencyKey, int? noticesVersion = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders") { Content = JsonContent.Create(new { sku, quantity, acceptNotices = true, noticesVersion }) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return shop.Factory.ApiClient(buyer.ApiKey).SendAsync(request);
    }

    private async Task<decimal> BalanceAsync(TestAccount account)
    {
        var wallet = await shop.Factory.ApiClient(account.ApiKey).GetFromJsonAsync<JsonElement>("/api/v1/wallet");
        return wallet.GetProperty("balance").GetDecimal();
    }
}
