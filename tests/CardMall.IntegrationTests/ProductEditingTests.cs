using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;

namespace CardMall.IntegrationTests;

/// <summary>An operator edits a product; new notices are a new version buyers must accept again.</summary>
public sealed class ProductEditingTests(ShopFixture shop) : IClassFixture<ShopFixture>
{
    private readonly TestShop _shop = new(shop.Factory);

    [Fact]
    public async Task Changing_the_notices_makes_version_2_buyers_of_version_1_must_read_again_and_off_sale_hides_the_product()
    {
        var (sku, _) = await _shop.ProductWithKeysAsync(5, price: 10.00m);
        var op = await _shop.OperatorAsync();
        var buyer = await _shop.BuyerAsync(100.00m);
        using var web = new WebSession(shop.Factory);
        await web.SignInAsync(op.Email, op.Password);

        var form = await web.GetAsync($"/Admin/Products/Edit/{sku}");
        Assert.Equal(HttpStatusCode.OK, form.Status);
        Assert.Equal("10.00", form.Document.QuerySelector("#Input_Price")?.GetAttribute("value"));
        var saved = await web.SubmitAsync($"/Admin/Products/Edit/{sku}", "form[data-testid=product-form]", ProductForm.Fields(sku, regions: "中国大陆、港澳台", price: "12.50", active: "true"));
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);

        var client = shop.Factory.ApiClient(buyer.ApiKey);
        var product = await client.GetFromJsonAsync<JsonElement>($"/api/v1/products/{sku}");
        Assert.Equal(2, product.GetProperty("notices").GetProperty("version").GetInt32());
        Assert.Equal(12.50m, product.GetProperty("price").GetDecimal());
        Assert.Equal(["中国大陆", "港澳台"], product.GetProperty("notices").GetProperty("regions").EnumerateArray().Select(r => r.GetString() ?? ""));
        using (var stale = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders") { Content = JsonContent.Create(new { sku, quantity = 1, acceptNotices = true, noticesVersion = 1 }) })
        {
            stale.Headers.Add("Idempotency-Key", "v1");
            Assert.Equal(HttpStatusCode.Conflict, (await client.SendAsync(stale)).StatusCode);
        }

        // A price change alone keeps the notices version.
        await web.SubmitAsync($"/Admin/Products/Edit/{sku}", "form[data-testid=product-form]", ProductForm.Fields(sku, regions: "中国大陆、港澳台", price: "11.00", active: "false"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/products/{sku}")).StatusCode);
        var staffList = await web.GetAsync("/Admin/Products");
        Assert.Contains("v2", staffList.Document.QuerySelector($"tr[data-sku='{sku}'] [data-testid=notices-version]")?.TextContent ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Editing_with_a_bad_price_shows_the_error_and_changes_nothing()
    {
        var (sku, _) = await _shop.ProductWithKeysAsync(1, price: 10.00m);
        var op = await _shop.OperatorAsync();
        using var web = new WebSession(shop.Factory);
        await web.SignInAsync(op.Email, op.Password);

        var page = await web.SubmitAsync($"/Admin/Products/Edit/{sku}", "form[data-testid=product-form]", ProductForm.Fields(sku, regions: "CN", price: "-1", active: "true"));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.NotEmpty(page.FieldErrors("Input.Price"));
        var product = await shop.Factory.ApiClient(op.ApiKey).GetFromJsonAsync<JsonElement>($"/api/v1/products/{sku}");
        Assert.Equal(10.00m, product.GetProperty("price").GetDecimal());
    }
}
