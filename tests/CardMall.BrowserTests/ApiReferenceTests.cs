using CardMall.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CardMall.BrowserTests;

/// <summary>
/// The resellers' API reference (<c>/api/docs</c>, docs/decisions/0027): Scalar's viewer, served by the shop, draws
/// every operation of the OpenAPI document, styled, under the shop's unchanged Content-Security-Policy.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ApiReferenceTests(BrowserShop shop) : BrowserTest(shop)
{
    [Fact]
    public Task The_api_reference_shows_the_operations_styled_under_the_shops_policy() =>
        InBrowserAsync("en-US", async page =>
        {
            var violations = new List<string>();
            page.Console += (_, message) =>
            {
                if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal)) violations.Add(message.Text);
            };

            var response = await page.GotoAsync("/api/docs");
            var policy = await response!.HeaderValueAsync("content-security-policy");
            Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
            Assert.Contains("style-src 'self'", policy, StringComparison.Ordinal);

            // The viewer read the document: the operations are there by their summaries, under their tags.
            // The first tag opens at once; the others list their operations until opened.
            await Expect(page.GetByText("Who this API key acts as").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "get /api/v1/products/{sku}", Exact = true }).First).ToBeVisibleAsync();
            // Styled: the viewer's CSS reached the page as constructed stylesheets, so the title stands right of the
            // sidebar (unstyled, the viewer is one column down the left edge under a logo that fills the screen).
            Assert.True(await page.EvaluateAsync<int>("() => document.adoptedStyleSheets.length") > 0);
            var title = await page.GetByRole(AriaRole.Heading, new() { Name = "CardMall API", Exact = true }).First.BoundingBoxAsync();
            Assert.NotNull(title);
            Assert.True(title.X > 200 && title.Y < 400, $"the title is at ({title.X}, {title.Y}): the viewer is not styled");
            await page.SaveScreenshotAsync("ApiReference-en-US");

            // No script and nothing from elsewhere was refused (no CDN): what the policy refuses is the viewer's own
            // <style> elements, whose text the page applies as constructed stylesheets instead.
            Assert.DoesNotContain(violations, v => !v.Contains("style-src", StringComparison.Ordinal));
        });
}
