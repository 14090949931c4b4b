using System.Net.Http.Json;
using System.Text.Json;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using Npgsql;

namespace CardMall.IntegrationTests;

/// <summary>The demo shop of ./scripts/run.sh: something to buy and money to buy it with, seeded once.</summary>
public sealed class DemoShopTests
{
    [Fact]
    public async Task The_demo_shop_has_products_in_every_category_keys_and_funded_buyers_and_a_restart_changes_nothing()
    {
        await using var db = await TestDatabase.CreateAsync();
        const string adminKey = "cm_demo-admin-key-for-tests-0123456789abcdef";
        await using (var first = DemoApp(db.ConnectionString, adminKey))
        {
            var products = await first.ApiClient(adminKey).GetFromJsonAsync<JsonElement[]>("/api/v1/products");

            Assert.True(products!.Length >= 8, $"{products.Length} products");
            Assert.Equal(["activation-codes", "game-cards", "memberships"], products.Select(p => p.GetProperty("category").GetString()!).Distinct().Order());
            Assert.Contains(products, p => p.GetProperty("stockLevel").GetString() == "plenty");
            Assert.Contains(products, p => p.GetProperty("stockLevel").GetString() == "few");
            Assert.Contains(products, p => p.GetProperty("stockLevel").GetString() == "sold_out");
            Assert.All(products, p => Assert.False(string.IsNullOrWhiteSpace(p.GetProperty("notices").GetProperty("refundPolicy").GetString())));
        }
        await using (var second = DemoApp(db.ConnectionString, adminKey))
            _ = second.Server;

        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM products), (SELECT count(*) FROM card_keys WHERE state = 'Available'),
                   (SELECT e.amount FROM ledger_entries e JOIN users u ON u.id = e.user_id WHERE u.email = 'buyer@cardmall.test' ORDER BY e.id LIMIT 1),
                   (SELECT count(*) FROM ledger_entries e JOIN users u ON u.id = e.user_id WHERE u.email = 'buyer@cardmall.test' AND e.reference = 'DEMO-START')
            """, conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal(9L, reader.GetInt64(0));
        // A few hundred keys on the shelves (the demo's history sold its own on top of these).
        Assert.InRange(reader.GetInt64(1), 200, 1000);
        Assert.Equal(500.00m, reader.GetDecimal(2));
        Assert.Equal(1L, reader.GetInt64(3));
        await reader.DisposeAsync();

        // The memberships come with the account-safety guide in both languages; the demo buyer who bought one got it once.
        await using var guides = new NpgsqlCommand("""
            SELECT (SELECT string_agg(p.sku, ',' ORDER BY p.sku) FROM products p JOIN articles a ON a.id = p.guide_article_id
                    WHERE a.slug = 'membership-account-safety' AND a.title_zh <> '' AND a.title_en <> ''),
                   (SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = 'buyer@cardmall.test' AND n.kind = 'PurchaseGuide')
            """, conn);
        await using var guided = await guides.ExecuteReaderAsync();
        await guided.ReadAsync();
        Assert.Equal("IQIYI-VIP-M,QQMUSIC-GREEN-Y", guided.GetString(0));
        Assert.Equal(1L, guided.GetInt64(1));
    }

    private static ShopFactory DemoApp(string connectionString, string adminKey)
    {
        var app = new ShopFactory(connectionString);
        app.Settings["CardMall:Demo:Seed"] = "true";
        app.Settings["CardMall:Demo:AdminApiKey"] = adminKey;
        return app;
    }
}
