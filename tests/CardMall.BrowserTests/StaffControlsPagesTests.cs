using CardMall.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CardMall.BrowserTests;

/// <summary>
/// The demo admin on the users page and the audit log, on a phone and on a desktop, in both languages:
/// an adjustment made on the wallet page shows up in the log with the admin's address. Screenshots of each
/// page are saved to be looked at.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class StaffControlsPagesTests(BrowserShop shop) : BrowserTest(shop)
{
    private const string AdminEmail = "admin@cardmall.test";

    [Fact]
    public Task The_admin_reads_the_users_page_and_the_audit_log_in_Chinese() =>
        InBrowserAsync(ShopTexts.Chinese.Locale, page => AdminJourneyAsync(page, ShopTexts.Chinese, "余额调整"));

    [Fact]
    public Task The_admin_reads_the_users_page_and_the_audit_log_in_English() =>
        InBrowserAsync(ShopTexts.English.Locale, page => AdminJourneyAsync(page, ShopTexts.English, "Wallet adjusted"));

    private static async Task AdminJourneyAsync(IPage page, ShopTexts texts, string adjustedLabel)
    {
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GotoAsync("/");
        await page.SignInAsync(texts, AdminEmail, ShopJourneys.DemoPassword);
        await page.OpenFromAccountMenuAsync(texts.StaffArea);

        // A small adjustment, so the log has something of this run's to show.
        await page.Locator(".admin-sidebar a[href='/Admin/Wallets']").ClickAsync();
        await page.Locator("#email").FillAsync("buyer@cardmall.test");
        await page.Locator("form[data-testid=wallet-lookup] button[type=submit]").ClickAsync();
        var reason = "browser audit " + Guid.NewGuid().ToString("N")[..8];
        await page.Locator("#Input_Amount").FillAsync("1.50");
        await page.Locator("#Input_Reason").FillAsync(reason);
        await page.GetByTestId("wallet-adjust").ClickAsync();
        await Expect(page.GetByTestId("wallet-adjusted")).ToBeVisibleAsync();

        await page.GetByTestId("nav-users").ClickAsync();
        await page.Locator("#email").FillAsync("@cardmall.test");
        await page.Locator("form[data-testid=user-search] button[type=submit]").ClickAsync();
        var admin = page.Locator("[data-email='admin@cardmall.test']");
        await Expect(admin.GetByTestId("user-role")).ToBeVisibleAsync();
        await SaveAsync(page, "users", texts.Locale);

        await page.GetByTestId("nav-audit").ClickAsync();
        var row = page.GetByTestId("audit-records").Locator("tbody tr", new LocatorLocatorOptions { HasText = reason });
        await Expect(row).ToContainTextAsync(adjustedLabel);
        await Expect(row).ToContainTextAsync(AdminEmail);
        await Expect(row).ToContainTextAsync("127.0.0.1");
        await SaveAsync(page, "audit", texts.Locale);

        await page.SetViewportSizeAsync(390, 844);
        await SaveAsync(page, "audit-phone", texts.Locale);
        await page.GetByTestId("nav-users").ClickAsync();
        await SaveAsync(page, "users-phone", texts.Locale);
        // At phone width nothing spills sideways out of the page.
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth + 1"), "the users page is wider than a phone");
    }

    private static async Task SaveAsync(IPage page, string name, string locale)
    {
        Directory.CreateDirectory(BrowserShop.ScreenshotFolder);
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(BrowserShop.ScreenshotFolder, $"StaffControls-{name}-{locale}.png"),
            FullPage = true,
        });
    }
}
