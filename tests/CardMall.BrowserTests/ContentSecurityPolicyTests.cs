using CardMall.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CardMall.BrowserTests;

/// <summary>
/// Under the shop's Content-Security-Policy (scripts only from the shop's files, no inline styles) the pages
/// still work: the storefront, the operators' dashboard draws its Chart.js charts and its backlog bar, and a
/// staff ticket page fills the reply box from a template. Every journey here (as every browser test) also
/// fails when Chromium refused anything under the policy. Screenshots in both languages.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ContentSecurityPolicyTests(BrowserShop shop) : BrowserTest(shop)
{
    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public Task The_home_page_dashboard_and_a_staff_ticket_work_under_the_policy(string locale) =>
        InBrowserAsync(locale, async page =>
        {
            var texts = locale == "zh-CN" ? ShopTexts.Chinese : ShopTexts.English;
            var home = await page.GotoAsync("/");
            var policy = await home!.HeaderValueAsync("content-security-policy");
            Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
            await page.SaveScreenshotAsync($"Csp-home-{locale}");

            await page.SignInAsync(texts, "supervisor@cardmall.test", ShopJourneys.DemoPassword);
            await page.GotoAsync("/Admin/Dashboard");
            // Chart.js drew every chart on the page (a canvas it never drew keeps its fallback text only).
            await page.WaitForFunctionAsync(
                "() => { const c = [...document.querySelectorAll('canvas[data-chart]')]; return c.length > 0 && window.Chart && c.every(x => Chart.getChart(x)); }");
            // The backlog bar's segments got their widths from data-share (no style attributes under the policy).
            var widths = await page.Locator(".backlog-bar [data-share]").EvaluateAllAsync<double[]>("s => s.map(x => x.getBoundingClientRect().width)");
            Assert.NotEmpty(widths);
            Assert.All(widths, w => Assert.True(w > 0, "a backlog segment has no width"));
            await page.SaveScreenshotAsync($"Csp-dashboard-{locale}");

            await page.GotoAsync("/Admin/Tickets");
            await page.Locator("a[href^='/Admin/Tickets/T']").First.ClickAsync();
            var picker = page.Locator("[data-template-picker]");
            await Expect(picker).ToBeVisibleAsync();
            // With script the "use" button is hidden and choosing a template fills the reply box at once.
            await Expect(page.Locator("[data-template-apply]")).ToBeHiddenAsync();
            var template = picker.Locator("option[data-body]").First;
            var body = await template.GetAttributeAsync("data-body");
            await picker.SelectOptionAsync((await template.GetAttributeAsync("value"))!);
            await Expect(page.Locator("[data-reply-box]")).ToHaveValueAsync(body!);
            await page.SaveScreenshotAsync($"Csp-ticket-{locale}");
        });
}
