using CardMall.BrowserTests.Support;
using CardMall.Domain.Accounts;
using Microsoft.Playwright;
using OtpNet;
using static Microsoft.Playwright.Assertions;

namespace CardMall.BrowserTests;

/// <summary>
/// A member of staff turns on two-factor sign-in — reads the key from the page, as a person types it into an
/// authenticator app — keeps the recovery codes, and signs in again with a code, in both languages.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TwoFactorJourneyTests(BrowserShop shop) : BrowserTest(shop)
{
    private sealed record Words(string Tab, string Code, string Verify, string CodeStepHeading, string CodeField, string CodeSubmit);

    private static readonly Words Chinese = new("两步验证", "验证码", "验证并开启", "两步验证", "验证码或恢复码", "验证并登录");
    private static readonly Words English = new("Two-factor sign-in", "Code", "Verify and turn on", "Two-factor sign-in", "Code or recovery code", "Verify and sign in");

    [Fact]
    public Task A_member_of_staff_enrols_in_two_factor_and_signs_in_with_a_code_in_Chinese() =>
        InBrowserAsync(ShopTexts.Chinese.Locale, page => EnrolAndSignInAsync(page, ShopTexts.Chinese, Chinese, "zh"));

    [Fact]
    public Task A_member_of_staff_enrols_in_two_factor_and_signs_in_with_a_code_in_English() =>
        InBrowserAsync(ShopTexts.English.Locale, page => EnrolAndSignInAsync(page, ShopTexts.English, English, "en"));

    private async Task EnrolAndSignInAsync(IPage page, ShopTexts texts, Words words, string language)
    {
        var email = await Shop.OpenAccountAsync(ShopRoles.Agent, ShopJourneys.Password);
        await page.GotoAsync("/");
        await page.SignInAsync(texts, email);

        await page.GotoAsync("/Account/Manage");
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = words.Tab, Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("two-factor-qr")).ToBeVisibleAsync();
        await page.SaveScreenshotAsync($"two-factor-enrol-{language}");
        var key = (await page.GetByTestId("two-factor-key").TextContentAsync())!;
        await page.GetByLabel(words.Code, new PageGetByLabelOptions { Exact = true }).FillAsync(CodeFor(key));
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = words.Verify, Exact = true }).ClickAsync();

        await Expect(page.GetByTestId("recovery-code")).ToHaveCountAsync(10);
        await Expect(page.GetByTestId("two-factor-on")).ToBeVisibleAsync();
        await page.SaveScreenshotAsync($"two-factor-recovery-codes-{language}");

        await page.SignOutAsync(texts);
        await page.SignInLink().ClickAsync();
        await page.FillSignInAsync(texts, email, ShopJourneys.Password);
        await Expect(page.Heading(words.CodeStepHeading)).ToBeVisibleAsync();
        await Expect(page.AccountMenu()).ToHaveCountAsync(0);
        await page.SaveScreenshotAsync($"two-factor-sign-in-code-{language}");
        await page.GetByLabel(words.CodeField, new PageGetByLabelOptions { Exact = true }).FillAsync(CodeFor(key));
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = words.CodeSubmit, Exact = true }).ClickAsync();

        await Expect(page.AccountMenu()).ToContainTextAsync(email);
        await page.GotoAsync("/Admin");
        await Expect(page.GetByTestId("admin-heading")).ToContainTextAsync(email);
    }

    private static string CodeFor(string key) =>
        new Totp(Base32Encoding.ToBytes(key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant())).ComputeTotp();
}
