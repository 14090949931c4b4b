using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace CardMall.BrowserTests.Support;

/// <summary>
/// A journey in a fresh browser context (own cookies, own Accept-Language), with a full-page
/// screenshot of wherever it ended — passed or failed — saved as test-output/screenshots/&lt;test&gt;.png,
/// so a failure can be seen and a passing page can be checked for looking finished. A journey fails when the
/// browser refused anything under the shop's Content-Security-Policy on the way.
/// </summary>
public abstract class BrowserTest(BrowserShop shop)
{
    protected BrowserShop Shop { get; } = shop;

    protected async Task InBrowserAsync(string locale, Func<IPage, Task> journey, [CallerMemberName] string testName = "")
    {
        var page = await Shop.NewPageAsync(locale);
        var journeyFinished = false;
        try
        {
            await journey(page);
            journeyFinished = true;
            Assert.Empty(Shop.CspRefusals(page.Context));
        }
        finally
        {
            try
            {
                Directory.CreateDirectory(BrowserShop.ScreenshotFolder);
                await page.ScreenshotAsync(new PageScreenshotOptions
                {
                    Path = Path.Combine(BrowserShop.ScreenshotFolder, testName + ".png"),
                    FullPage = true,
                });
            }
            catch (PlaywrightException) when (!journeyFinished)
            {
                // The journey already failed (perhaps the page crashed): its error is the one to report.
            }
            finally
            {
                await page.Context.CloseAsync();
            }
        }
    }

    /// <summary>A new address each run, since the shop's database outlives a single test.</summary>
    protected static string UniqueEmail(string prefix) => $"{prefix}-{Guid.NewGuid():N}@example.test";
}
