using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AngleSharp.Html.Dom;
using CardMall.Application.Features.Risk;
using CardMall.Application.Features.Tickets;
using CardMall.Domain.Accounts;
using CardMall.Domain.Risk;
using CardMall.Domain.Tickets;
using CardMall.IntegrationTests.Support;
using CardMall.IntegrationTests.Tickets;
using CardMall.TestSupport;
using CardMall.Web.Verification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CardMall.IntegrationTests;

/// <summary>The shop with every log line down to Debug captured, and the verification worker run by hand.</summary>
public sealed class DebugLoggedShop : TicketShop
{
    protected override void AddSettings(IDictionary<string, string?> settings)
    {
        // Debug and above from every source reaches the capture.
        foreach (var (key, value) in LogCapture.Everything(Serilog.Events.LogEventLevel.Debug))
            settings[key] = value;
        settings[VerificationWorker.EnabledSetting] = "false";
    }
}

/// <summary>
/// No card key reaches the log, at any level down to Debug, on any path a key travels: bought through the API,
/// revealed and downloaded on the order page, imported on the import page, reported by a supplier's webhook (a
/// key we sold and one we never held), redeemed on /Redeem, replaced by an agent and by the automatic
/// verification (the new key too), quoted to the assistant, and replaced by an incident remedy. Not the key,
/// nor its first or last eight characters (a mask shows at most four).
/// </summary>
public sealed class CardKeyLogTests(DebugLoggedShop shop) : IClassFixture<DebugLoggedShop>
{
    private const string WebhookSecret = "test-webhook-secret-123456";

    private readonly TicketTestKit _kit = new(shop);

    [Fact]
    public async Task Debug_logging_is_on_in_this_shop_so_the_checks_below_see_everything()
    {
        await _kit.BuyerWithOrderAsync(1);

        Assert.Contains(shop.Factory.Logs.Lines, l => l.StartsWith("Debug ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Buying_through_the_api_then_revealing_and_downloading_on_the_order_page_logs_no_key()
    {
        var order = await _kit.BuyerWithOrderAsync(2);
        using var web = await _kit.SignInAsync(order.Buyer);
        var page = await web.GetAsync("/Orders/" + order.OrderNo);
        Assert.Equal(HttpStatusCode.OK, page.Status);

        var revealed = await web.Client.SendAsync(FormRequest(page.Document.QuerySelector("[data-testid=key-row] form")!));
        Assert.Contains(order.Codes[0][..8], await revealed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var txt = await web.Client.SendAsync(FormRequest(page.Document.QuerySelector("form[data-testid=download-txt]")!));
        var csv = await web.Client.SendAsync(FormRequest(page.Document.QuerySelector("form[data-testid=download-csv]")!));
        Assert.Contains(order.Codes[1], await txt.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(order.Codes[1], await csv.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        AssertNoKeyLogged(order.Codes);
    }

    [Fact]
    public async Task Importing_keys_on_the_import_page_logs_none_of_them_nor_the_rejected_lines()
    {
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(0);
        var supplier = await _kit.Shop.SupplierAsync();
        var op = await _kit.StaffAsync(ShopRoles.Operator);
        var codes = Enumerable.Range(0, 3).Select(_ => "K" + Guid.NewGuid().ToString("N").ToUpperInvariant()).ToList();
        using var web = await _kit.SignInAsync(op);

        var result = await web.SubmitAsync("/Admin/Batches/Import", "form[data-testid=import-form]", new Dictionary<string, string>
        {
            ["Input.Sku"] = sku,
            ["Input.SupplierCode"] = supplier,
            ["Input.UnitCost"] = "9.90",
            ["Input.ExpiresAt"] = DateTime.UtcNow.AddYears(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            // The last line repeats the first: rejected lines are where a key could end up in an error.
            ["Input.Lines"] = $"{codes[0]}\r\n{codes[1]},secret-b\r\n{codes[2]}----secret-c\r\n{codes[0]}\r\n",
        });

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal("3", result.Document.QuerySelector("[data-testid=imported-count]")?.TextContent.Trim());
        AssertNoKeyLogged(codes);
    }

    [Fact]
    public async Task Supplier_webhooks_about_a_key_we_sold_and_a_code_we_never_held_log_neither()
    {
        var order = await _kit.BuyerWithOrderAsync(1);
        var supplier = await _kit.Shop.SupplierAsync();
        var unknown = "K" + Guid.NewGuid().ToString("N").ToUpperInvariant();

        Assert.Equal(HttpStatusCode.Accepted, (await PostWebhookAsync(supplier, order.Codes[0], WebhookSecret)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await PostWebhookAsync(supplier, unknown, WebhookSecret)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostWebhookAsync(supplier, order.Codes[0], "not-the-secret-000000")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostWebhookAsync("NO-SUCH-SUPPLIER", unknown, WebhookSecret)).StatusCode);

        AssertNoKeyLogged([order.Codes[0], unknown]);
    }

    [Fact]
    public async Task Redeeming_a_platform_code_and_guessing_one_on_the_redeem_page_logs_neither()
    {
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(2, price: 10.00m);
        await _kit.ExecuteAsync("UPDATE products SET is_platform_issued = true WHERE sku = $1", sku);
        var order = await _kit.BuyAsync(await _kit.BuyerAsync(10.00m), sku, 1);
        var guess = "K" + Guid.NewGuid().ToString("N").ToUpperInvariant();
        using var web = await _kit.SignInAsync(await _kit.BuyerAsync(0m));

        var redeemed = await web.SubmitAsync("/Redeem", "form[data-testid=redeem-form]", new Dictionary<string, string> { ["Input.Code"] = order.Codes[0] });
        var guessed = await web.SubmitAsync("/Redeem", "form[data-testid=redeem-form]", new Dictionary<string, string> { ["Input.Code"] = guess });

        Assert.Equal(HttpStatusCode.Redirect, redeemed.Status);
        Assert.Equal(HttpStatusCode.OK, guessed.Status);
        AssertNoKeyLogged([order.Codes[0], guess]);
    }

    [Fact]
    public async Task An_agents_replacement_logs_neither_the_old_key_nor_the_new_one()
    {
        var (sku, codes) = await _kit.Shop.ProductWithKeysAsync(3, price: 10.00m);
        var order = await _kit.BuyAsync(await _kit.BuyerAsync(10.00m), sku, 1);
        var ticketNo = await _kit.FileTicketAsync(order);
        var agent = await _kit.StaffAsync(ShopRoles.Agent);

        var replaced = await _kit.SendAsync(agent, new ReplaceKey(ticketNo, order.ItemIds[0]));
        var newCode = await NewCodeAsync(order, replaced.NewItemId);

        Assert.Contains(newCode, codes);
        AssertNoKeyLogged([order.Codes[0], newCode]);
    }

    [Fact]
    public async Task Verification_and_the_automatic_replacement_log_neither_the_old_key_nor_the_new_one()
    {
        var (sku, codes) = await _kit.Shop.ProductWithKeysAsync(3, price: 10.00m);
        var order = await _kit.BuyAsync(await _kit.BuyerAsync(10.00m), sku, 1);
        var op = await _kit.Shop.OperatorAsync();
        Assert.Equal(HttpStatusCode.OK, (await shop.Factory.ApiClient(op.ApiKey).PutAsJsonAsync("/api/v1/admin/sandbox-supplier/keys",
            new { code = order.Codes[0], answer = "invalid", redeemedAt = (DateTimeOffset?)null })).StatusCode);
        await _kit.FileTicketAsync(order);

        var pass = await shop.Factory.Services.GetServices<IHostedService>().OfType<VerificationWorker>().Single().RunOnceAsync(CancellationToken.None);
        // Other tests' complaints may be queued too: this pass runs them all.
        Assert.True(pass!.Ran >= 1);

        var newItem = await _kit.ScalarAsync<Guid>("SELECT id FROM order_items WHERE replaces_item_id = $1", order.ItemIds[0]);
        var newCode = await NewCodeAsync(order, newItem);
        Assert.Contains(newCode, codes);
        AssertNoKeyLogged([order.Codes[0], newCode]);
    }

    [Fact]
    public async Task Asking_the_assistant_for_a_key_and_quoting_one_to_it_logs_no_key()
    {
        var order = await _kit.BuyerWithOrderAsync(1);
        var api = shop.Factory.ApiClient(order.Account.ApiKey);

        var lookup = await api.PostAsJsonAsync("/api/v1/assistant/messages", new { text = "我买的卡密在哪里看" });
        var quoted = await api.PostAsJsonAsync("/api/v1/assistant/messages", new { text = $"卡密 {order.Codes[0]} 兑换时提示无效" });

        Assert.Equal(HttpStatusCode.OK, lookup.StatusCode);
        Assert.Equal(HttpStatusCode.OK, quoted.StatusCode);
        AssertNoKeyLogged(order.Codes);
    }

    [Fact]
    public async Task An_incident_remedy_that_replaces_every_complained_key_logs_no_key_old_or_new()
    {
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(6, price: 10.00m);
        var orders = new List<BoughtOrder>();
        for (var n = 0; n < 3; n++)
        {
            var order = await _kit.BuyerWithOrderAsync(1, sku: sku);
            orders.Add(order);
            await _kit.FileAsync(order);
        }
        var incidentNo = await _kit.ScalarAsync<string>("""
            SELECT i.no FROM incidents i JOIN card_keys k ON k.batch_id = i.batch_id JOIN products p ON p.id = k.product_id
            WHERE p.sku = $1 LIMIT 1
            """, sku);
        var fresh = Enumerable.Range(0, 4).Select(_ => "R" + Guid.NewGuid().ToString("N").ToUpperInvariant()).ToList();
        await _kit.Shop.ImportAsync(sku, fresh);
        var op = await _kit.StaffAsync(ShopRoles.Operator);

        await _kit.SendAsync(op, new ApplyIncidentRemedy(incidentNo, IncidentRemedy.ReplaceAll));

        var newCodes = new List<string>();
        foreach (var order in orders)
            newCodes.Add(await NewCodeAsync(order, await _kit.ScalarAsync<Guid>("SELECT id FROM order_items WHERE replaces_item_id = $1", order.ItemIds[0])));
        Assert.All(newCodes, c => Assert.Contains(c, fresh));
        AssertNoKeyLogged([.. orders.SelectMany(o => o.Codes), .. newCodes]);
    }

    private void AssertNoKeyLogged(IReadOnlyCollection<string> codes)
    {
        var log = shop.Factory.Logs.All;
        Assert.NotEmpty(log);
        foreach (var code in codes)
        {
            Assert.DoesNotContain(code, log, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(code[..8], log, StringComparison.Ordinal);
            Assert.DoesNotContain(code[^8..], log, StringComparison.Ordinal);
        }
    }

    private async Task<string> NewCodeAsync(BoughtOrder order, Guid itemId)
    {
        var response = await shop.Factory.ApiClient(order.Account.ApiKey).GetAsync($"/api/v1/orders/{order.OrderNo}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray();
        return items.Single(i => i.GetProperty("itemId").GetGuid() == itemId).GetProperty("code").GetString()!;
    }

    private async Task<HttpResponseMessage> PostWebhookAsync(string supplier, string code, string secret)
    {
        var json = JsonSerializer.Serialize(new { code, deviceId = "device-log", ip = "203.0.113.9", at = DateTimeOffset.UtcNow.ToString("O"), result = "failed" });
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/webhooks/suppliers/{supplier}/activations")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("X-CardMall-Signature",
            "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(json))));
        return await shop.Factory.CreateClient().SendAsync(request);
    }

    private static HttpRequestMessage FormRequest(AngleSharp.Dom.IElement form) =>
        new(HttpMethod.Post, form.GetAttribute("action"))
        {
            Content = new FormUrlEncodedContent(form.QuerySelectorAll("input[type=hidden]").OfType<IHtmlInputElement>()
                .Where(i => !string.IsNullOrEmpty(i.Name))
                .GroupBy(i => i.Name!).ToDictionary(g => g.Key, g => g.First().Value)),
        };
}
