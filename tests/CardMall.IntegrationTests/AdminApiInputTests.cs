using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using Npgsql;

namespace CardMall.IntegrationTests;

/// <summary>Every operator endpoint of the storefront answers bad input with a 4xx problem and writes nothing.</summary>
public sealed class AdminApiInputTests(ShopFixture shop) : IClassFixture<ShopFixture>
{
    private readonly TestShop _shop = new(shop.Factory);

    private const string GoodProduct = """{"sku":"NEW-SKU","name":"新商品","nameEn":"New product","category":"game-cards","faceValue":10,"price":9.5,"validityDays":30,"deviceLimit":1,"regions":"CN","maxPerOrder":5}""";

    public static TheoryData<string, string, string, int> BadRequests => new()
    {
        { "product: empty body", "/api/v1/admin/products", "{}", 400 },
        { "product: malformed json", "/api/v1/admin/products", """{"sku":"A""", 400 },
        { "product: zero price", "/api/v1/admin/products", GoodProduct.Replace("\"price\":9.5", "\"price\":0", StringComparison.Ordinal), 400 },
        { "product: negative price", "/api/v1/admin/products", GoodProduct.Replace("\"price\":9.5", "\"price\":-9.5", StringComparison.Ordinal), 400 },
        { "product: absurd price", "/api/v1/admin/products", GoodProduct.Replace("\"price\":9.5", "\"price\":1e40", StringComparison.Ordinal), 400 },
        { "product: three decimals", "/api/v1/admin/products", GoodProduct.Replace("\"price\":9.5", "\"price\":9.555", StringComparison.Ordinal), 400 },
        { "product: unknown category", "/api/v1/admin/products", GoodProduct.Replace("game-cards", "weapons", StringComparison.Ordinal), 400 },
        { "product: bad sku", "/api/v1/admin/products", GoodProduct.Replace("NEW-SKU", "new sku!", StringComparison.Ordinal), 400 },
        { "product: zero max per order", "/api/v1/admin/products", GoodProduct.Replace("\"maxPerOrder\":5", "\"maxPerOrder\":0", StringComparison.Ordinal), 400 },
        { "product: existing sku", "/api/v1/admin/products", GoodProduct.Replace("NEW-SKU", "EXISTING", StringComparison.Ordinal), 400 },
        { "batch: unknown product", "/api/v1/admin/products/NO-SUCH/batches", """{"supplierCode":"SUP","unitCost":1,"lines":["AAAA1111"]}""", 404 },
        { "batch: no lines", "/api/v1/admin/products/EXISTING/batches", """{"supplierCode":"SUP","unitCost":1}""", 400 },
        { "batch: only blank lines", "/api/v1/admin/products/EXISTING/batches", """{"supplierCode":"SUP","unitCost":1,"lines":["", "  "]}""", 400 },
        { "batch: negative cost", "/api/v1/admin/products/EXISTING/batches", """{"supplierCode":"SUP","unitCost":-1,"lines":["AAAA1111"]}""", 400 },
        { "batch: unknown supplier", "/api/v1/admin/products/EXISTING/batches", """{"supplierCode":"NOBODY","unitCost":1,"lines":["AAAA1111"]}""", 400 },
        { "batch: expiry in the past", "/api/v1/admin/products/EXISTING/batches", """{"supplierCode":"SUP","unitCost":1,"expiresAt":"2020-01-01T00:00:00Z","lines":["AAAA1111"]}""", 400 },
        { "batch: lines not a list", "/api/v1/admin/products/EXISTING/batches", """{"supplierCode":"SUP","unitCost":1,"lines":"AAAA1111"}""", 400 },
        { "supplier: missing code", "/api/v1/admin/suppliers", """{"name":"x","webhookSecret":"0123456789abcdef"}""", 400 },
        { "supplier: short secret", "/api/v1/admin/suppliers", """{"code":"NEW-SUP","name":"x","webhookSecret":"short"}""", 400 },
        { "supplier: existing code", "/api/v1/admin/suppliers", """{"code":"SUP","name":"x","webhookSecret":"0123456789abcdef"}""", 400 },
        { "adjustment: user id not a guid", "/api/v1/admin/users/not-a-guid/wallet/adjustments", """{"amount":10,"reason":"x"}""", 404 },
        { "adjustment: unknown user", $"/api/v1/admin/users/{Guid.Empty}/wallet/adjustments", """{"amount":10,"reason":"x"}""", 404 },
        { "adjustment: zero amount", "/api/v1/admin/users/BUYER/wallet/adjustments", """{"amount":0,"reason":"x"}""", 400 },
        { "adjustment: no reason", "/api/v1/admin/users/BUYER/wallet/adjustments", """{"amount":10}""", 400 },
        { "adjustment: below zero", "/api/v1/admin/users/BUYER/wallet/adjustments", """{"amount":-10.01,"reason":"too much"}""", 400 },
        { "adjustment: amount as text", "/api/v1/admin/users/BUYER/wallet/adjustments", """{"amount":"lots","reason":"x"}""", 400 },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_operator_input_is_a_4xx_problem_and_changes_nothing(string why, string path, string json, int status)
    {
        var op = await _shop.OperatorAsync();
        var (existing, _) = await _shop.ProductWithKeysAsync(1);
        var supplier = await _shop.SupplierAsync();
        var buyer = await _shop.BuyerAsync(10.00m);
        var before = await CountsAsync();

        var body = json.Replace("EXISTING", existing, StringComparison.Ordinal).Replace("\"SUP\"", $"\"{supplier}\"", StringComparison.Ordinal);
        var response = await shop.Factory.ApiClient(op.ApiKey).PostAsync(
            path.Replace("EXISTING", existing, StringComparison.Ordinal).Replace("BUYER", buyer.UserId.ToString(), StringComparison.Ordinal),
            new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.True((int)response.StatusCode == status, $"{why}: expected {status}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(status == 404 ? "not_found" : "validation_failed", problem.GetProperty("code").GetString());
        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [InlineData("/api/v1/products/NO-SUCH-SKU", 404, "not_found")]
    [InlineData("/api/v1/wallet/ledger?page=0", 400, "validation_failed")]
    [InlineData("/api/v1/wallet/ledger?page=abc", 400, "validation_failed")]
    [InlineData("/api/v1/orders?page=-1", 400, "validation_failed")]
    [InlineData("/api/v1/orders/CM-NOT-AN-ORDER", 404, "not_found")]
    public async Task Bad_buyer_reads_are_4xx_problems(string path, int status, string code)
    {
        var buyer = await _shop.BuyerAsync(0);

        var response = await shop.Factory.ApiClient(buyer.ApiKey).GetAsync(path);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(code, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    /// <summary>Rows in every table these endpoints write.</summary>
    private async Task<string> CountsAsync()
    {
        await using var conn = new NpgsqlConnection(shop.Database.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT concat_ws(',', (SELECT count(*) FROM products), (SELECT count(*) FROM product_notices), (SELECT count(*) FROM suppliers),
                   (SELECT count(*) FROM key_batches), (SELECT count(*) FROM card_keys), (SELECT count(*) FROM ledger_entries),
                   (SELECT coalesce(sum(balance), 0) FROM wallets))
            """, conn);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }
}
