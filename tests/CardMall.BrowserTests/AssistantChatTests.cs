using System.Text.RegularExpressions;
using CardMall.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CardMall.BrowserTests;

/// <summary>
/// The 7×24 assistant as a buyer meets it: from an order page, "有问题？问问智能客服" opens the chat; asked in
/// Chinese where the key is, it answers without a page reload with the buyer's own latest order and its key,
/// masked, and a link to the order; the quick replies follow. Also on a phone-sized screen.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AssistantChatTests(BrowserShop shop) : BrowserTest(shop)
{
    [Fact]
    public Task A_buyer_asks_in_Chinese_where_their_key_is_and_gets_the_order_with_the_masked_key() =>
        InBrowserAsync(ShopTexts.Chinese.Locale, async page =>
        {
            await page.GotoAsync("/");
            await page.SignInAsync(ShopTexts.Chinese, "vip@cardmall.test", ShopJourneys.DemoPassword);
            await page.GotoAsync("/Products/IQIYI-VIP-M");
            var buy = page.GetByTestId("buy-form");
            await buy.GetByLabel("我已阅读并同意购买须知", new LocatorGetByLabelOptions { Exact = true }).CheckAsync();
            await buy.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "立即购买", Exact = true }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/Orders/[A-Z0-9]+$"));
            var orderNo = (await page.GetByTestId("order-no").InnerTextAsync()).Trim();
            var url = page.Url;

            await page.GetByTestId("ask-assistant").ClickAsync();
            var chat = page.GetByRole(AriaRole.Dialog, new PageGetByRoleOptions { Name = "智能客服" });
            await Expect(chat).ToBeVisibleAsync();
            await chat.GetByTestId("assistant-text").FillAsync("我买的卡密在哪里看");
            await chat.GetByTestId("assistant-send").ClickAsync();

            var reply = chat.GetByTestId("assistant-reply");
            await Expect(reply).ToHaveCountAsync(1, new LocatorAssertionsToHaveCountOptions { Timeout = 30_000 });
            await Expect(reply).ToContainTextAsync(orderNo);
            await Expect(reply).ToContainTextAsync(new Regex(@"\*\*\*\*"));
            await Expect(reply).ToHaveAttributeAsync("data-intent", "key_lookup");
            await Expect(reply.GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = "/Orders/" + orderNo })).ToHaveCountAsync(1);
            // Answered in place: the page did not reload or move.
            Assert.Equal(url, page.Url);
            await Expect(chat.GetByTestId("assistant-quick").GetByRole(AriaRole.Button)).Not.ToHaveCountAsync(0);
            await page.SaveScreenshotAsync("Assistant-chat-key-lookup-zh-CN");

            // A phone-sized screen: the panel becomes a bottom sheet as wide as the screen.
            await page.SetViewportSizeAsync(390, 780);
            var box = await page.Locator("#assistant-panel").BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box!.Width >= 380, $"panel {box.Width}px wide on a 390px screen");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserShop.ScreenshotFolder, "Assistant-chat-phone-zh-CN.png") });
        });

    [Fact]
    public Task A_visitor_who_is_not_signed_in_asks_in_English_and_gets_general_help_and_a_prompt_to_sign_in_for_their_keys() =>
        InBrowserAsync(ShopTexts.English.Locale, async page =>
        {
            await page.GotoAsync("/Help");
            await page.GetByTestId("assistant-open").ClickAsync();
            var chat = page.GetByRole(AriaRole.Dialog, new PageGetByRoleOptions { Name = "Assistant" });
            await Expect(chat).ToBeVisibleAsync();
            await Expect(chat.GetByTestId("assistant-log")).ToContainTextAsync("Hi, I'm the shop's assistant");

            await chat.GetByTestId("assistant-text").FillAsync("how do i redeem a code");
            await chat.GetByTestId("assistant-send").ClickAsync();
            var reply = chat.GetByTestId("assistant-reply");
            await Expect(reply).ToHaveCountAsync(1, new LocatorAssertionsToHaveCountOptions { Timeout = 30_000 });
            await Expect(reply).ToHaveAttributeAsync("data-intent", "usage_guide");
            await Expect(reply.GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = "/Help", Exact = true })).ToHaveCountAsync(1);

            // Anything about their own keys needs an account: the quick reply asks, the answer says so.
            await chat.GetByTestId("assistant-quick").GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Where is my key?", Exact = true })
                .ClickAsync();
            await Expect(reply).ToHaveCountAsync(2, new LocatorAssertionsToHaveCountOptions { Timeout = 30_000 });
            await Expect(reply.Nth(1)).ToContainTextAsync("sign in");
            await page.SaveScreenshotAsync("Assistant-chat-visitor-en-US");
        });
}
