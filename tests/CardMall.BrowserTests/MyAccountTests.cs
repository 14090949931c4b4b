using System.Text.RegularExpressions;
using CardMall.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CardMall.BrowserTests;

/// <summary>What a buyer does on the My account page: API keys, the password and the birthday.</summary>
[Collection(BrowserCollection.Name)]
public sealed class MyAccountTests(BrowserShop shop) : BrowserTest(shop)
{
    [Fact]
    public Task A_buyer_creates_an_api_key_sees_it_once_and_can_revoke_it() =>
        InBrowserAsync(ShopTexts.Chinese.Locale, async page =>
        {
            var texts = ShopTexts.Chinese;
            const string keyName = "我的店铺";
            await page.GotoAsync("/");
            await page.RegisterAsync(texts, UniqueEmail("apikey"));
            await page.OpenFromAccountMenuAsync(texts.MyAccount);
            await page.ApiKeysTab(texts).ClickAsync();

            await page.GetByLabel(texts.ApiKeyName, new PageGetByLabelOptions { Exact = true }).FillAsync(keyName);
            await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = texts.CreateApiKey, Exact = true }).ClickAsync();

            await Expect(page.GetByTestId("new-api-key")).ToContainTextAsync(texts.ApiKeyShownOnce);
            var keyBox = page.GetByTestId("new-api-key-value");
            await Expect(keyBox).ToHaveTextAsync(new Regex("^cm_\\S{20,}$"));
            var plainKey = (await keyBox.InnerTextAsync()).Trim();

            // Coming back to the page (a GET: reloading the POST answer would send the form again and
            // create a second key) shows the key in the list, but never its value again.
            await page.ApiKeysTab(texts).ClickAsync();
            await Expect(page.GetByTestId("new-api-key")).ToHaveCountAsync(0);
            var row = page.GetByTestId("api-keys").Locator("tbody tr", new LocatorLocatorOptions { HasText = keyName });
            await Expect(row).ToHaveCountAsync(1);
            await Expect(row.GetByText(texts.ApiKeyActive, new LocatorGetByTextOptions { Exact = true })).ToBeVisibleAsync();
            Assert.DoesNotContain(plainKey, await page.ContentAsync(), StringComparison.Ordinal);

            // Revoking asks first, naming the key; the buyer confirms.
            string? question = null;
            page.Dialog += async (_, dialog) =>
            {
                question = dialog.Message;
                await dialog.AcceptAsync();
            };
            await row.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = texts.RevokeApiKey, Exact = true }).ClickAsync();

            await Expect(row.GetByText(texts.ApiKeyRevoked, new LocatorGetByTextOptions { Exact = true })).ToBeVisibleAsync();
            await Expect(row.GetByText(texts.ApiKeyActive, new LocatorGetByTextOptions { Exact = true })).ToHaveCountAsync(0);
            await Expect(row.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = texts.RevokeApiKey, Exact = true })).ToHaveCountAsync(0);
            Assert.Contains(keyName, question, StringComparison.Ordinal);
        });

    [Fact]
    public Task Changing_the_password_with_a_wrong_current_password_shows_the_error_in_English() =>
        InBrowserAsync(ShopTexts.English.Locale, async page =>
        {
            var texts = ShopTexts.English;
            const string newPassword = "Changed456";
            await page.GotoAsync("/");
            await page.RegisterAsync(texts, UniqueEmail("password"));
            await page.OpenFromAccountMenuAsync(texts.MyAccount);

            await page.ChangePasswordAsync(texts, "Wrong12345", newPassword);

            var currentPasswordError = page.Locator("[data-valmsg-for='Input.CurrentPassword']");
            await Expect(currentPasswordError).ToHaveTextAsync(texts.CurrentPasswordWrong);
            await Expect(page.GetByTestId("password-changed")).ToHaveCountAsync(0);

            await page.ChangePasswordAsync(texts, ShopJourneys.Password, newPassword);

            await Expect(page.GetByTestId("password-changed")).ToHaveTextAsync(texts.PasswordChanged);
            await Expect(currentPasswordError).ToBeEmptyAsync();
            // The session that changed the password stays signed in.
            await Expect(page.AccountMenu()).ToBeVisibleAsync();
        });

    [Fact]
    public Task A_buyer_gives_a_birthday_is_told_when_the_day_does_not_exist_and_sees_it_kept_in_both_languages_and_on_a_phone() =>
        InBrowserAsync(ShopTexts.Chinese.Locale, async page =>
        {
            var texts = ShopTexts.Chinese;
            await page.GotoAsync("/");
            await page.RegisterAsync(texts, UniqueEmail("birthday"));
            await page.OpenFromAccountMenuAsync(texts.MyAccount);
            var form = page.GetByTestId("birthday-form");

            await page.GetByLabel("月", new PageGetByLabelOptions { Exact = true }).SelectOptionAsync("2");
            await page.GetByLabel("日", new PageGetByLabelOptions { Exact = true }).SelectOptionAsync("30");
            await form.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "保存生日", Exact = true }).ClickAsync();
            await Expect(page.Locator("[data-valmsg-for='Birthday.Day']")).ToHaveTextAsync("这一天不存在，请重新选择。");

            await page.GetByLabel("日", new PageGetByLabelOptions { Exact = true }).SelectOptionAsync("29");
            await form.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "保存生日", Exact = true }).ClickAsync();
            await Expect(page.GetByTestId("birthday-changed")).ToHaveTextAsync("生日已保存。");
            await Expect(page.GetByTestId("birthday-month")).ToHaveValueAsync("2");
            await Expect(page.GetByTestId("birthday-day")).ToHaveValueAsync("29");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserShop.ScreenshotFolder, "MyAccount_birthday_zh-CN.png"), FullPage = true });

            await page.GetByTestId("language-switch").GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "English", Exact = true }).ClickAsync();
            await Expect(page.GetByLabel("Month", new PageGetByLabelOptions { Exact = true })).ToHaveValueAsync("2");
            await Expect(page.GetByText("Month and day only: we never ask for the year.")).ToBeVisibleAsync();
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserShop.ScreenshotFolder, "MyAccount_birthday_en-US.png"), FullPage = true });

            await page.SetViewportSizeAsync(390, 844);
            await Expect(page.GetByTestId("birthday-form")).ToBeVisibleAsync();
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserShop.ScreenshotFolder, "MyAccount_birthday_phone_en-US.png"), FullPage = true });
        });
}

file static class MyAccountSteps
{
    public static ILocator ApiKeysTab(this IPage page, ShopTexts texts) =>
        page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = texts.ApiKeysTab, Exact = true });

    public static async Task ChangePasswordAsync(this IPage page, ShopTexts texts, string current, string newPassword)
    {
        await page.GetByLabel(texts.CurrentPassword, new PageGetByLabelOptions { Exact = true }).FillAsync(current);
        await page.GetByLabel(texts.NewPassword, new PageGetByLabelOptions { Exact = true }).FillAsync(newPassword);
        await page.GetByLabel(texts.ConfirmPassword, new PageGetByLabelOptions { Exact = true }).FillAsync(newPassword);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = texts.ChangePasswordButton, Exact = true }).ClickAsync();
    }
}
