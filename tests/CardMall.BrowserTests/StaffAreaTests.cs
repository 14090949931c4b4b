using System.Globalization;
using CardMall.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CardMall.BrowserTests;

/// <summary>A demo staff member signs in and finds the staff area through the account menu, in both languages.</summary>
[Collection(BrowserCollection.Name)]
public sealed class StaffAreaTests(BrowserShop shop) : BrowserTest(shop)
{
    private const string AgentEmail = "agent@cardmall.test";

    /// <summary>The demo data seeds seven accounts (DemoData.Accounts); other tests only add to them.</summary>
    private const int DemoAccountCount = 7;

    [Fact]
    public Task An_agent_signs_in_and_sees_the_staff_overview_in_Chinese() =>
        InBrowserAsync(ShopTexts.Chinese.Locale, page => AgentOpensTheStaffOverviewAsync(page, ShopTexts.Chinese));

    [Fact]
    public Task An_agent_signs_in_and_sees_the_staff_overview_in_English() =>
        InBrowserAsync(ShopTexts.English.Locale, page => AgentOpensTheStaffOverviewAsync(page, ShopTexts.English));

    private static async Task AgentOpensTheStaffOverviewAsync(IPage page, ShopTexts texts)
    {
        await page.GotoAsync("/");
        await page.SignInAsync(texts, AgentEmail, ShopJourneys.DemoPassword);

        await page.OpenFromAccountMenuAsync(texts.StaffArea);

        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", texts.HtmlLang);
        await Expect(page.GetByTestId("admin-heading")).ToHaveTextAsync(string.Format(CultureInfo.InvariantCulture, texts.AdminWelcome, AgentEmail));
        var roles = page.Locator("p", new PageLocatorOptions { HasText = texts.YourRoles });
        await Expect(roles.GetByText(texts.RoleAgent, new LocatorGetByTextOptions { Exact = true })).ToBeVisibleAsync();

        // The card labelled "Accounts" holds the count: at least the demo accounts.
        var accountsCard = page.Locator(".card", new PageLocatorOptions
        {
            Has = page.GetByText(texts.AdminAccounts, new PageGetByTextOptions { Exact = true }),
        });
        var count = accountsCard.GetByTestId("account-count");
        await Expect(count).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\s*\d+\s*$"));
        var accounts = int.Parse((await count.InnerTextAsync()).Trim(), CultureInfo.InvariantCulture);
        Assert.True(accounts >= DemoAccountCount, $"The overview counts {accounts} accounts; the demo data alone has {DemoAccountCount}.");
    }
}
