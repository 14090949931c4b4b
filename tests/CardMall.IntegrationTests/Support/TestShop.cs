using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CardMall.Domain.Accounts;
using CardMall.TestSupport;

namespace CardMall.IntegrationTests.Support;

/// <summary>
/// Sets up what a test needs the way an operator would, through the JSON API: a product, a supplier,
/// a batch of keys, money in a buyer's wallet. Shared by the storefront, order and API tests.
/// </summary>
public sealed class TestShop(ShopFactory app)
{
    private TestAccount? _operator;

    public async Task<TestAccount> OperatorAsync() => _operator ??= await TestAccounts.CreateAsync(app, ShopRoles.Operator);

    /// <summary>Creates a product with <paramref name="keys"/> fresh keys; returns its SKU and the codes imported.</summary>
    public async Task<(string Sku, IReadOnlyList<string> Codes)> ProductWithKeysAsync(int keys, decimal price = 10.00m, int maxPerOrder = 10,
        decimal? vipPrice = null, decimal? resellerPrice = null, int? maxPerBuyerPerDay = null, string? nameZh = null, string? nameEn = null)
    {
        var op = await OperatorAsync();
        var client = app.ApiClient(op.ApiKey);
        var sku = "T-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        var created = await client.PostAsJsonAsync("/api/v1/admin/products", new
        {
            sku,
            name = nameZh ?? "测试点卡 " + sku,
            nameEn = nameEn ?? "Test card " + sku,
            category = "game-cards",
            faceValue = price,
            price,
            tierPrices = new { vip = vipPrice, reseller = resellerPrice },
            validityDays = 365,
            deviceLimit = 1,
            regions = new[] { "中国大陆" },
            maxPerOrder,
            maxPerBuyerPerDay,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var codes = Enumerable.Range(0, keys).Select(_ => "K" + Guid.NewGuid().ToString("N").ToUpperInvariant()).ToList();
        if (keys > 0) await ImportAsync(sku, codes.Select(c => c + "----S" + c[^6..]).ToList());
        return (sku, codes);
    }

    public async Task<JsonElement> ImportAsync(string sku, IReadOnlyList<string> lines, string? supplierCode = null)
    {
        var op = await OperatorAsync();
        var client = app.ApiClient(op.ApiKey);
        supplierCode ??= await SupplierAsync();
        var response = await client.PostAsJsonAsync($"/api/v1/admin/products/{sku}/batches",
            new { supplierCode, unitCost = 1.00m, expiresAt = DateTimeOffset.UtcNow.AddYears(1), lines });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private string? _supplier;

    public async Task<string> SupplierAsync()
    {
        if (_supplier is not null) return _supplier;
        var op = await OperatorAsync();
        var code = "SUP-" + Guid.NewGuid().ToString("N")[..8];
        var response = await app.ApiClient(op.ApiKey).PostAsJsonAsync("/api/v1/admin/suppliers",
            new { code, name = "测试供应商", webhookSecret = "test-webhook-secret-123456" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return _supplier = code;
    }

    /// <summary>A buyer (or reseller) with money in the wallet, put there by an operator adjustment.</summary>
    public async Task<TestAccount> BuyerAsync(decimal balance, string role = ShopRoles.Buyer, MemberTier tier = MemberTier.Regular)
    {
        var buyer = await TestAccounts.CreateAsync(app, role, tier);
        if (balance > 0) await FundAsync(buyer, balance);
        return buyer;
    }

    public async Task FundAsync(TestAccount account, decimal amount)
    {
        var op = await OperatorAsync();
        // Adjustments above ¥1,000 wait for a second person: large test balances arrive in ¥1,000 steps.
        for (var left = amount; left > 0; left -= 1000m)
        {
            var response = await app.ApiClient(op.ApiKey).PostAsJsonAsync($"/api/v1/admin/users/{account.UserId}/wallet/adjustments",
                new { amount = Math.Min(left, 1000m), reason = "test funding" });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}
