using CardMall.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CardMall.BrowserTests;

/// <summary>Register, sign out, sign in and the staff area's door, in a real Chromium, in both languages.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccountJourneyTests(BrowserShop shop) : BrowserTest(shop)
{
    [Fact]
    public Task A_visitor_registers_signs_out_and_signs_in_again_in_Chinese() =>
        InBrowserAsync(ShopTexts.Chinese.Locale, page => RegisterSignOutSignInSignOutAsync(page, ShopTexts.Chinese));

    [Fact]
    public Task A_visitor_registers_signs_out_and_signs_in_again_in_English() =>
        InBrowserAsync(ShopTexts.English.Locale, page => RegisterSignOutSignInSignOutAsync(page, ShopTexts.English));

    [Fact]
    public Task A_registration_with_a_bad_email_and_different_passwords_shows_the_errors_on_the_form() =>
        InBrowserAsync(ShopTexts.Chinese.Locale, async page =>
        {
            var texts = ShopTexts.Chinese;
            await page.GotoAsync("/Account/Register");

            await page.FillRegistrationAsync(texts, "not-an-email", ShopJourneys.Password, "Secret999");

            // Still the register page, with each message next to the field it is about (Messages.resx).
            await Expect(page.Heading(texts.RegisterHeading)).ToBeVisibleAsync();
            await Expect(page.Locator("[data-valmsg-for='Input.Email']")).ToHaveTextAsync("邮箱格式不正确。");
            await Expect(page.Locator("[data-valmsg-for='Input.ConfirmPassword']")).ToHaveTextAsync("两次输入的密码不一致。");
            // What the visitor typed is kept, so only the mistake needs fixing.
            await Expect(page.GetByLabel(texts.Email, new PageGetByLabelOptions { Exact = true })).ToHaveValueAsync("not-an-email");
            await Expect(page.AccountMenu()).ToHaveCountAsync(0);
            await Expect(page.SignInLink()).ToBeVisibleAsync();
        });

    [Fact]
    public Task A_buyer_who_opens_the_staff_area_sees_access_denied() =>
        InBrowserAsync(ShopTexts.Chinese.Locale, async page =>
        {
            var texts = ShopTexts.Chinese;
            await page.GotoAsync("/");
            await page.RegisterAsync(texts, UniqueEmail("buyer"));

            var response = await page.GotoAsync("/Admin");

            Assert.Equal(403, response?.Status);
            await Expect(page.Heading(texts.AccessDenied)).ToBeVisibleAsync();
            await Expect(page.GetByTestId("admin-heading")).ToHaveCountAsync(0);
            // Still signed in: the refusal is about the role, not a lost session.
            await Expect(page.AccountMenu()).ToBeVisibleAsync();
        });

    private static async Task RegisterSignOutSignInSignOutAsync(IPage page, ShopTexts texts)
    {
        var email = UniqueEmail("journey");
        await page.GotoAsync("/");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", texts.HtmlLang);

        await page.RegisterAsync(texts, email);
        await Expect(page.SignInLink()).ToHaveCountAsync(0);

        await page.SignOutAsync(texts);
        await page.SignInAsync(texts, email);
        await page.SignOutAsync(texts);
    }
}
