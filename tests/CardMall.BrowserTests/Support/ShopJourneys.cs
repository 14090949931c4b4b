using CardMall.Infrastructure.Seeding;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CardMall.BrowserTests.Support;

/// <summary>
/// The steps journeys share, done the way a visitor does them: find fields by their visible labels and
/// buttons by their visible words, so a missing or wrong translation breaks the step.
/// </summary>
public static class ShopJourneys
{
    public const string Password = "Secret123";

    /// <summary>The password of every demo account (BrowserShop turns the demo data on).</summary>
    public const string DemoPassword = DemoData.DefaultPassword;

    public static ILocator AccountMenu(this IPage page) => page.GetByTestId("account-menu");

    public static ILocator SignInLink(this IPage page) => page.GetByTestId("sign-in-link");

    public static ILocator Heading(this IPage page, string name) =>
        page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = name, Exact = true });

    /// <summary>Fills in the register form (already open) and sends it.</summary>
    public static async Task FillRegistrationAsync(this IPage page, ShopTexts texts, string email, string password, string confirmPassword,
        string displayName = "Browser Buyer")
    {
        await page.GetByLabel(texts.Email, new PageGetByLabelOptions { Exact = true }).FillAsync(email);
        // The display name's label also says "(optional)", hence no exact match.
        await page.GetByLabel(texts.DisplayName).FillAsync(displayName);
        await page.GetByLabel(texts.Password, new PageGetByLabelOptions { Exact = true }).FillAsync(password);
        await page.GetByLabel(texts.ConfirmPassword, new PageGetByLabelOptions { Exact = true }).FillAsync(confirmPassword);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = texts.RegisterButton, Exact = true }).ClickAsync();
    }

    /// <summary>
    /// Opens the register page from the navigation bar and registers; registration ends at "check your mail"
    /// without signing anyone in (it would tell a stranger the address was new), so the visitor signs in next.
    /// </summary>
    public static async Task RegisterAsync(this IPage page, ShopTexts texts, string email, string displayName = "Browser Buyer")
    {
        await page.GetByTestId("register-link").ClickAsync();
        await Expect(page.Heading(texts.RegisterHeading)).ToBeVisibleAsync();
        await page.FillRegistrationAsync(texts, email, Password, Password, displayName);
        await Expect(page.GetByTestId("check-email")).ToBeVisibleAsync();
        await page.GetByTestId("check-email-sign-in").ClickAsync();
        await page.FillSignInAsync(texts, email, Password);
        await Expect(page.AccountMenu()).ToContainTextAsync(email);
    }

    public static async Task SignInAsync(this IPage page, ShopTexts texts, string email, string password = Password)
    {
        await page.SignInLink().ClickAsync();
        await page.FillSignInAsync(texts, email, password);
        await Expect(page.AccountMenu()).ToContainTextAsync(email);
    }

    /// <summary>Fills in the sign-in form (opened by the caller) and sends it.</summary>
    public static async Task FillSignInAsync(this IPage page, ShopTexts texts, string email, string password)
    {
        await Expect(page.Heading(texts.SignInHeading)).ToBeVisibleAsync();
        await page.GetByLabel(texts.Email, new PageGetByLabelOptions { Exact = true }).FillAsync(email);
        await page.GetByLabel(texts.Password, new PageGetByLabelOptions { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = texts.SignInButton, Exact = true }).ClickAsync();
    }

    /// <summary>Opens one of the account menu's links (My account, Staff area) the way a visitor does.</summary>
    public static async Task OpenFromAccountMenuAsync(this IPage page, string linkText)
    {
        await page.AccountMenu().ClickAsync();
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = linkText, Exact = true }).ClickAsync();
    }

    /// <summary>
    /// A full-page screenshot of a step on the way (test-output/screenshots/&lt;name&gt;.png), beside the one
    /// BrowserTest takes of wherever the journey ends, so the pages in between can be checked too.
    /// </summary>
    public static async Task SaveScreenshotAsync(this IPage page, string name)
    {
        Directory.CreateDirectory(BrowserShop.ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(BrowserShop.ScreenshotFolder, name + ".png"),
            FullPage = true,
        });
    }

    /// <summary>Signs out through the account menu and checks the navigation bar offers sign-in again.</summary>
    public static async Task SignOutAsync(this IPage page, ShopTexts texts)
    {
        await page.AccountMenu().ClickAsync();
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = texts.SignOut, Exact = true }).ClickAsync();
        await Expect(page.SignInLink()).ToHaveTextAsync(texts.SignInLink);
        await Expect(page.AccountMenu()).ToHaveCountAsync(0);
    }
}
