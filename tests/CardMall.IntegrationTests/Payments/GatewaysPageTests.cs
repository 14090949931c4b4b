using System.Net;
using CardMall.Domain.Accounts;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;

namespace CardMall.IntegrationTests.Payments;

/// <summary>The operators' gateways page: what is on, masked merchant ids, notify addresses, a connection test, never a key.</summary>
public sealed class GatewaysPageTests(GatewayShopFixture shop) : IClassFixture<GatewayShopFixture>
{
    private ShopFactory App => shop.Factory;

    [Fact]
    public async Task An_operator_sees_each_gateway_without_its_secrets_and_tests_its_connection()
    {
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);
        using var web = new WebSession(App);
        await web.SignInAsync(op.Email, op.Password);

        var page = await web.GetAsync("/Admin/Gateways");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var cards = page.Document.QuerySelectorAll("[data-testid=gateway]").ToDictionary(c => c.GetAttribute("data-code")!);
        Assert.Equal(["sandbox", "alipay", "epay"], cards.Keys);
        Assert.Equal("2021****1234", cards["alipay"].QuerySelector("[data-testid=gateway-merchant]")?.TextContent.Trim());
        Assert.Equal("http://localhost/payments/epay/notify", cards["epay"].QuerySelector("[data-testid=gateway-notify-url]")?.TextContent.Trim());
        Assert.Equal("收款中", cards["alipay"].QuerySelector("[data-testid=gateway-state]")?.TextContent.Trim());
        Assert.NotNull(page.Document.QuerySelector("[data-testid=nav-gateways]"));
        foreach (var secret in new[] { shop.Epay.Key, shop.Alipay.MerchantPrivateKey[..40], FakeAlipaySeller })
            Assert.DoesNotContain(secret, page.Html, StringComparison.Ordinal);

        var tested = await web.SubmitAsync("/Admin/Gateways", "[data-code=alipay] form[data-testid=gateway-test-form]", new Dictionary<string, string>());

        var result = tested.Document.QuerySelector("[data-testid=gateway-test-result]");
        Assert.Equal(("alipay", "true"), (result?.GetAttribute("data-code"), result?.GetAttribute("data-ok")));
        Assert.Contains("支付宝：连接正常", result!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(shop.Alipay.MerchantPrivateKey[..40], App.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain(shop.Epay.Key, App.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_speaks_english_and_a_post_without_the_antiforgery_token_is_refused()
    {
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);
        using var web = new WebSession(App, "en-US");
        await web.SignInAsync(op.Email, op.Password);

        var tested = await web.SubmitAsync("/Admin/Gateways", "[data-code=epay] form[data-testid=gateway-test-form]", new Dictionary<string, string>());
        Assert.Contains("Epay: connection works", tested.Document.QuerySelector("[data-testid=gateway-test-result]")?.TextContent, StringComparison.Ordinal);

        var forged = await web.Client.PostAsync("/Admin/Gateways?handler=Test", new FormUrlEncodedContent(new Dictionary<string, string> { ["code"] = "alipay" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }

    /// <summary>The seller id is checked on notifications but is not what the page shows.</summary>
    private const string FakeAlipaySeller = CardMall.TestSupport.Payments.FakeAlipay.SellerId;
}
