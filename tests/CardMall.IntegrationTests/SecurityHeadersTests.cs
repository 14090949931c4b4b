using System.Net;
using AngleSharp.Html.Parser;
using CardMall.Domain.Accounts;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;

namespace CardMall.IntegrationTests;

/// <summary>
/// Every response — page, API, static file, error — carries the security headers, with a Content-Security-Policy
/// that runs scripts only from the shop's own files; and the pages send nothing that policy would refuse: no
/// inline script, no inline event handler, no style attribute.
/// </summary>
public sealed class SecurityHeadersTests(ShopFixture shop) : IClassFixture<ShopFixture>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/Help")]
    [InlineData("/Account/Login")]
    [InlineData("/no-such-page")]
    [InlineData("/api/v1/me")]
    [InlineData("/api/v1/no-such-thing")]
    [InlineData("/css/site.css")]
    [InlineData("/js/site.js")]
    public async Task Every_response_carries_the_security_headers(string path)
    {
        var response = await shop.Factory.ApiClient(null).GetAsync(path);

        var policy = Header(response, "Content-Security-Policy");
        var directives = policy.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d);
        Assert.Equal("script-src 'self'", directives["script-src"]);
        Assert.Equal("style-src 'self'", directives["style-src"]);
        Assert.Equal("frame-ancestors 'none'", directives["frame-ancestors"]);
        Assert.Equal("object-src 'none'", directives["object-src"]);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
        var permissions = Header(response, "Permissions-Policy");
        Assert.Contains("camera=()", permissions, StringComparison.Ordinal);
        Assert.Contains("geolocation=()", permissions, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_429_carries_the_security_headers_too()
    {
        var buyer = await TestAccounts.CreateAsync(shop.Factory);
        var api = shop.Factory.ApiClient(buyer.ApiKey);
        HttpResponseMessage response;
        do response = await api.PostAsync("/api/v1/assistant/messages", System.Net.Http.Json.JsonContent.Create(new { text = "你好" }));
        while (response.StatusCode != HttpStatusCode.TooManyRequests);

        Assert.Contains("script-src 'self'", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
    }

    [Theory]
    [InlineData(null, "/")]
    [InlineData(null, "/Help")]
    [InlineData(null, "/Account/Register")]
    [InlineData(ShopRoles.Buyer, "/Wallet")]
    [InlineData(ShopRoles.Buyer, "/Tickets")]
    [InlineData(ShopRoles.Buyer, "/Redeem")]
    [InlineData(ShopRoles.Admin, "/Admin/Dashboard")]
    [InlineData(ShopRoles.Admin, "/Admin/Tickets")]
    [InlineData(ShopRoles.Admin, "/Admin/Sla")]
    [InlineData(ShopRoles.Admin, "/Admin/Templates")]
    [InlineData(ShopRoles.Admin, "/Admin/Products")]
    [InlineData(ShopRoles.Admin, "/Admin/Wallets")]
    public async Task Pages_send_no_inline_script_event_handler_or_style_attribute(string? role, string path)
    {
        using var web = new WebSession(shop.Factory);
        if (role is not null)
        {
            var account = await TestAccounts.CreateAsync(shop.Factory, role);
            Assert.Equal(HttpStatusCode.Redirect, (await web.SignInAsync(account.Email, account.Password)).Status);
        }

        var page = await web.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var document = new HtmlParser().ParseDocument(page.Html);
        var inlineScripts = document.QuerySelectorAll("script:not([src])")
            .Where(s => s.GetAttribute("type") != "application/json")
            .Select(s => s.OuterHtml[..Math.Min(80, s.OuterHtml.Length)]);
        Assert.Empty(inlineScripts);
        Assert.Empty(document.QuerySelectorAll("style").Select(s => s.OuterHtml));
        var attributes = document.All.SelectMany(e => e.Attributes.Select(a => (Element: e.LocalName, a.Name)))
            .Where(a => a.Name == "style" || a.Name.StartsWith("on", StringComparison.Ordinal))
            .Select(a => $"<{a.Element} {a.Name}=…>");
        Assert.Empty(attributes);
        Assert.DoesNotContain("javascript:", page.Html, StringComparison.OrdinalIgnoreCase);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : throw new Xunit.Sdk.XunitException($"no {name} header on {response.RequestMessage?.RequestUri} ({(int)response.StatusCode})");
}
