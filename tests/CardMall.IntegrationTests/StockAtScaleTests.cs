using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CardMall.Domain.Accounts;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CardMall.IntegrationTests;

/// <summary>
/// Issue 13: allocation takes keys through its index in expiry order, the database keeps exact key counts, and
/// the catalogue's caches (one second each here, as in production) never show a buyer something that is
/// not theirs nor keep "in stock" on a page long after the last key went.
/// </summary>
public sealed class StockAtScaleTests(StockAtScaleTests.Fixture shop) : IClassFixture<StockAtScaleTests.Fixture>
{
    private readonly TestShop _shop = new(shop.Factory);

    public sealed class Fixture : ShopFixture
    {
        public TestClock Clock { get; } = new();

        protected override ShopFactory CreateFactory(string connectionString)
        {
            var factory = new ShopFactory(connectionString) { Configure = s => s.AddSingleton<TimeProvider>(Clock) };
            factory.Settings["CardMall:Catalogue:StockMaxAge"] = "00:00:01";
            factory.Settings["CardMall:Catalogue:PageCacheDuration"] = "00:00:01";
            factory.Settings["CardMall:Catalogue:ShelvesMaxAge"] = "00:01:00";
            return factory;
        }
    }

    [Fact]
    public async Task Checkout_takes_the_soonest_expiring_keys_first_then_those_that_never_expire_and_never_an_expired_one()
    {
        var (sku, _) = await _shop.ProductWithKeysAsync(0);
        var now = shop.Clock.GetUtcNow();
        var thirtyDays = await ImportAsync(sku, 2, now.AddDays(30));
        var never = await ImportAsync(sku, 2, null);
        var tenDays = await ImportAsync(sku, 2, now.AddDays(10));
        var tomorrow = await ImportAsync(sku, 1, now.AddDays(1));
        shop.Clock.Advance(TimeSpan.FromDays(2)); // tomorrow's key has expired now
        var buyer = await _shop.BuyerAsync(100m);

        var batches = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            var response = await BuyAsync(buyer, sku, 1);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            batches.Add(await BatchOfOrderAsync((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNo").GetString()!));
        }

        Assert.Equal([tenDays, tenDays, thirtyDays, thirtyDays, never, never], batches);
        // Only the expired key is left, and it is not for sale.
        var last = await BuyAsync(buyer, sku, 1);
        Assert.Equal(HttpStatusCode.Conflict, last.StatusCode);
        Assert.Equal("out_of_stock", (await last.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        await using var conn = await OpenAsync();
        Assert.Equal("Available", await ScalarAsync<string>(conn, "SELECT state FROM card_keys WHERE batch_id = $1", tomorrow));
    }

    [Fact]
    public async Task Key_counts_kept_by_the_database_equal_a_count_of_the_keys_after_imports_racing_sales_freezes_and_removals()
    {
        var (sku, _) = await _shop.ProductWithKeysAsync(20, price: 1m);
        var extra = await ImportAsync(sku, 15, shop.Clock.GetUtcNow().AddYears(2));
        var buyers = new List<TestAccount>();
        for (var i = 0; i < 12; i++) buyers.Add(await _shop.BuyerAsync(10m));

        // Twelve buyers at once, two keys each: concurrent transactions adjust the same counts.
        var responses = await Task.WhenAll(buyers.Select(b => Task.Run(() => BuyAsync(b, sku, 2))));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));

        await using var conn = await OpenAsync();
        // A whole batch frozen in one statement, some of its keys unfrozen, unsold keys removed.
        await ExecAsync(conn, "UPDATE card_keys SET state_before_freeze = state, state = 'Frozen' WHERE batch_id = $1", extra);
        await ExecAsync(conn, """
            UPDATE card_keys SET state = state_before_freeze, state_before_freeze = NULL
            WHERE id IN (SELECT id FROM card_keys WHERE batch_id = $1 AND state_before_freeze = 'Available' ORDER BY id LIMIT 5)
            """, extra);
        await ExecAsync(conn, "DELETE FROM card_keys WHERE id IN (SELECT id FROM card_keys WHERE batch_id = $1 AND state = 'Available' LIMIT 3)", extra);

        var drift = await ScalarAsync<long>(conn, """
            WITH kept AS (SELECT product_id, batch_id, state, expires_at, sum(keys) AS n FROM key_counts
                          GROUP BY 1, 2, 3, 4 HAVING sum(keys) <> 0),
                 counted AS (SELECT product_id, batch_id, state, coalesce(expires_at, 'infinity') AS expires_at, count(*) AS n
                             FROM card_keys GROUP BY 1, 2, 3, 4)
            SELECT count(*) FROM ((TABLE kept EXCEPT TABLE counted) UNION ALL (TABLE counted EXCEPT TABLE kept)) d
            """);
        Assert.Equal(0L, drift);

        // What a buyer sees is that same count (all these keys expire years from now).
        var available = (int)await ScalarAsync<long>(conn,
            "SELECT count(*) FROM card_keys k JOIN products p ON p.id = k.product_id WHERE p.sku = $1 AND k.state = 'Available'", sku);
        var api = shop.Factory.ApiClient((await _shop.OperatorAsync()).ApiKey);
        var product = await WaitForAsync(() => api.GetFromJsonAsync<JsonElement>($"/api/v1/products/{sku}"),
            p => p.GetProperty("stock").GetInt32() == available);
        Assert.Equal(available, product.GetProperty("stock").GetInt32());
        // 35 keys: 24 sold (all 20 of the sooner batch, 4 of the later), 10 still frozen, 3 removed.
        Assert.Equal(2, available);
    }

    [Fact]
    public async Task A_sold_out_product_shows_sold_out_on_its_page_once_the_cached_level_expires()
    {
        var (sku, _) = await _shop.ProductWithKeysAsync(1);
        using var visitor = new WebSession(shop.Factory);
        // A product just stocked shows its key within the stock level's second.
        var before = await WaitForAsync(() => visitor.GetAsync($"/Products/{sku}"), p => StockBadge(p) != "缺货");
        Assert.Equal(HttpStatusCode.OK, before.Status);
        Assert.NotEqual("缺货", StockBadge(before));

        var buyer = await _shop.BuyerAsync(20m);
        Assert.Equal(HttpStatusCode.Created, (await BuyAsync(buyer, sku, 1)).StatusCode);

        // One second of page cache plus one second of stock level: the page says 缺货 well within a few seconds.
        var after = await WaitForAsync(() => visitor.GetAsync($"/Products/{sku}"), p => StockBadge(p) == "缺货");
        Assert.Equal("缺货", StockBadge(after));
    }

    [Fact]
    public async Task A_cached_catalogue_page_is_never_served_to_a_signed_in_buyer_nor_in_the_wrong_language()
    {
        var (sku, _) = await _shop.ProductWithKeysAsync(3, price: 10.00m, vipPrice: 8.00m, nameZh: "缓存测试卡", nameEn: "Cache test card");
        using var visitor = new WebSession(shop.Factory);
        var anonymous = await visitor.GetAsync($"/Products/{sku}");
        Assert.Contains("¥10.00", anonymous.Html, StringComparison.Ordinal);
        // Catalogue pages carry no cookie for a visitor: that is what lets one copy serve everybody.
        using var raw = await shop.Factory.CreateClient(new() { AllowAutoRedirect = false }).GetAsync($"/Products/{sku}");
        Assert.False(raw.Headers.Contains("Set-Cookie"), "an anonymous catalogue page set a cookie");

        var vip = await _shop.BuyerAsync(0m, tier: MemberTier.Vip);
        using var member = new WebSession(shop.Factory);
        await member.SignInAsync(vip.Email, vip.Password);
        var signedIn = await member.GetAsync($"/Products/{sku}");
        Assert.Contains("¥8.00", signedIn.Html, StringComparison.Ordinal);

        using var english = new WebSession(shop.Factory, "en-US");
        var inEnglish = await english.GetAsync($"/Products/{sku}");
        Assert.Contains("Cache test card", inEnglish.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("缓存测试卡", inEnglish.Document.Title ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_product_an_operator_adds_is_on_sale_at_once_although_the_shelves_are_kept_in_memory()
    {
        var buyer = await _shop.BuyerAsync(0m);
        var api = shop.Factory.ApiClient(buyer.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/products")).StatusCode); // the shelves are read and kept

        var (sku, _) = await _shop.ProductWithKeysAsync(2, nameZh: "新上架点卡", nameEn: "Just in card");

        var product = await api.GetAsync($"/api/v1/products/{sku}");
        Assert.Equal(HttpStatusCode.OK, product.StatusCode);
        Assert.Equal("新上架点卡", (await product.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());
        // Its stock follows within the stock level's own second.
        var stocked = await WaitForAsync(() => api.GetFromJsonAsync<JsonElement>($"/api/v1/products/{sku}"), p => p.GetProperty("stock").GetInt32() == 2);
        Assert.Equal(2, stocked.GetProperty("stock").GetInt32());
    }

    private static string StockBadge(WebSession.Page page) =>
        page.Document.QuerySelector("[data-testid=stock-badge]")?.TextContent.Trim() ?? "";

    /// <summary>Polls until the condition holds or ten seconds pass (the caches are real-time, one second each).</summary>
    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var value = await read();
        for (var i = 0; i < 50 && !done(value); i++)
        {
            await Task.Delay(200);
            value = await read();
        }
        return value;
    }

    private async Task<Guid> ImportAsync(string sku, int keys, DateTimeOffset? expiresAt)
    {
        var op = await _shop.OperatorAsync();
        var lines = Enumerable.Range(0, keys).Select(_ => "E" + Guid.NewGuid().ToString("N").ToUpperInvariant()).ToList();
        var response = await shop.Factory.ApiClient(op.ApiKey).PostAsJsonAsync($"/api/v1/admin/products/{sku}/batches",
            new { supplierCode = await _shop.SupplierAsync(), unitCost = 1.00m, expiresAt, lines });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("batchId").GetGuid();
    }

    private Task<HttpResponseMessage> BuyAsync(TestAccount buyer, string sku, int quantity)
    {
        var client = shop.Factory.ApiClient(buyer.ApiKey);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders")
        {
            Content = JsonContent.Create(new { sku, quantity, acceptNotices = true }),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return client.SendAsync(request);
    }

    private async Task<Guid> BatchOfOrderAsync(string orderNo)
    {
        await using var conn = await OpenAsync();
        return await ScalarAsync<Guid>(conn, """
            SELECT k.batch_id FROM orders o JOIN order_items i ON i.order_id = o.id JOIN card_keys k ON k.id = i.card_key_id WHERE o.no = $1
            """, orderNo);
    }

    private Task<NpgsqlConnection> OpenAsync() => shop.Database.Sql.OpenAsync();

    private static Task<T> ScalarAsync<T>(NpgsqlConnection conn, string sql, params object[] args) => conn.ScalarAsync<T>(sql, args);

    private static Task<int> ExecAsync(NpgsqlConnection conn, string sql, params object[] args) => conn.ExecuteAsync(sql, args);
}
