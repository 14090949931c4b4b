using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CardMall.Application.Features.Orders;
using CardMall.IntegrationTests.Support;
using CardMall.IntegrationTests.Tickets;

namespace CardMall.IntegrationTests;

/// <summary>
/// Issue 14, item 12, against PostgreSQL: an import (here the API) refuses every key that a spreadsheet would
/// run as a formula, saying so per line, and stores the rest; the buyer's CSV download has no cell that runs.
/// </summary>
public sealed class CsvFormulaTests(TicketShop shop) : IClassFixture<TicketShop>
{
    private readonly TicketTestKit _kit = new(shop) { Culture = "en-US" };

    [Fact]
    public async Task An_import_rejects_keys_that_start_like_a_formula_with_that_reason_and_stores_the_rest()
    {
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(0);
        var good = "G" + Guid.NewGuid().ToString("N").ToUpperInvariant();
        string[] lines =
        [
            "=HYPERLINK(\"http://evil.example\")", "+" + Guid.NewGuid().ToString("N"), "-" + Guid.NewGuid().ToString("N"),
            "@SUM(A1:A9)" + Guid.NewGuid().ToString("N")[..6], "\t" + Guid.NewGuid().ToString("N"), "\r" + Guid.NewGuid().ToString("N"),
            good + "----=cmd|' /C calc'!A0", good,
        ];
        var op = await _kit.Shop.OperatorAsync();
        var response = await _kit.App.ApiClient(op.ApiKey).PostAsJsonAsync($"/api/v1/admin/products/{sku}/batches",
            new { supplierCode = await _kit.Shop.SupplierAsync(), unitCost = 1.00m, expiresAt = DateTimeOffset.UtcNow.AddYears(1), lines });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, body.GetProperty("imported").GetInt32());
        var rejected = body.GetProperty("rejected").EnumerateArray().ToList();
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], rejected.Select(r => r.GetProperty("line").GetInt32()));
        // The reason names the characters (in the caller's language: "=, +, -, @" or "=、+、-、@").
        Assert.All(rejected, r => Assert.Matches("=.*\\+.*-.*@", r.GetProperty("reason").GetString()));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM card_keys k JOIN products p ON p.id = k.product_id WHERE p.sku = $1", sku));
    }

    [Fact]
    public async Task The_key_download_csv_has_no_cell_a_spreadsheet_would_run()
    {
        var order = await _kit.BuyerWithOrderAsync(2);

        var file = await _kit.SendAsync(order.Buyer, new DownloadKeys(order.OrderNo, "csv"));

        Assert.Equal("text/csv", file.ContentType);
        Assert.True(file.Content is [0xEF, 0xBB, 0xBF, ..], "no UTF-8 byte-order mark");
        var lines = Encoding.UTF8.GetString(file.Content, 3, file.Content.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("code,secret,expires_at", lines[0]);
        Assert.Equal(order.Codes.Order(), lines.Skip(1).Select(l => l.Split(',')[0]).Order());
        foreach (var cell in lines.SelectMany(l => l.Split(',')))
            Assert.False(cell.Length > 0 && "=+-@\t\r".Contains(cell.TrimStart('"')[0]), cell);
    }
}
