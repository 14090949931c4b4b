using System.Text.RegularExpressions;
using CardMall.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CardMall.BrowserTests;

/// <summary>
/// Live chat (在线客服) with a buyer and an agent each in their own browser: the agent goes online in the console, the
/// buyer presses "Talk to us" and sees their place in the queue, the offer rings in on the console and the agent accepts;
/// messages go both ways without a reload, with "typing…" and read receipts; a dropped connection loses no message;
/// the agent ends the chat, the buyer rates it and turns the transcript into a ticket. In Chinese and in English, and
/// the buyer's page at phone width.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveChatTests(BrowserShop shop) : BrowserTest(shop)
{
    private const string Agent = "agent@cardmall.test";

    private sealed record Words(ShopTexts Texts, string Nav, string Place, string Connected, string Joined, string Read, string Rated, string Ticket,
        string Question, string Answer, string Reply, string WhileAway);

    private static readonly Words Chinese = new(ShopTexts.Chinese, "联系客服", "前面还有 0 人，预计等待", "对话中", "客服小李 已接入", "已读", "感谢你的评价",
        "对话记录已转成工单", "我的卡密兑换时提示无效，怎么办？", "您好，请把兑换页面的截图发给我看看。", "好的，我马上截图。", "收到，我这边先帮您核实一下卡密。");

    private static readonly Words English = new(ShopTexts.English, "Talk to us", "0 ahead of you, about", "Connected", "客服小李 has joined", "Read",
        "Thank you for your rating", "The conversation is now ticket", "My key says it is invalid when I redeem it. What can I do?",
        "Hello, could you send me a screenshot of the redeem page?", "Sure, one moment.", "Thanks, I am checking the key for you now.");

    [Fact]
    public Task A_buyer_and_an_agent_chat_live_in_Chinese_and_the_transcript_becomes_a_ticket() =>
        InBrowserAsync(ShopTexts.Chinese.Locale, buyer => JourneyAsync(buyer, Chinese));

    [Fact]
    public Task A_buyer_and_an_agent_chat_live_in_English_and_the_transcript_becomes_a_ticket() =>
        InBrowserAsync(ShopTexts.English.Locale, buyer => JourneyAsync(buyer, English));

    private async Task JourneyAsync(IPage buyer, Words w)
    {
        await using var quiet = await Shop.QuietChatDeskAsync();
        var staff = await Shop.NewPageAsync(w.Texts.Locale);
        try
        {
            // The agent goes online in the console.
            await staff.GotoAsync("/");
            await staff.SignInAsync(w.Texts, Agent, ShopJourneys.DemoPassword);
            await staff.GotoAsync("/Admin/Chats");
            await staff.GetByTestId("availability-online").ClickAsync();
            await Expect(staff.GetByTestId("availability-online")).ToHaveAttributeAsync("aria-pressed", "true");
            await Expect(staff.Locator("body")).ToHaveAttributeAsync("data-console-live", "true");

            // The buyer presses "Talk to us" in the header and asks with a quick question.
            await buyer.GotoAsync("/");
            await buyer.RegisterAsync(w.Texts, UniqueEmail("chat"), "Chat Buyer");
            await buyer.GetByTestId("talk-to-us").ClickAsync();
            await buyer.GetByTestId("chat-first-text").FillAsync(w.Question);
            await buyer.GetByTestId("chat-start-send").ClickAsync();
            await Expect(buyer).ToHaveURLAsync(new Regex("/Chats/[0-9a-f-]{36}$"));
            await Expect(buyer.GetByTestId("chat-place")).ToContainTextAsync(w.Place);
            await Expect(buyer.GetByTestId("chat")).ToHaveAttributeAsync("data-live", "true");
            await buyer.SaveScreenshotAsync($"LiveChat-buyer-queued-{w.Texts.Locale}");

            // The dispatcher offers it; the offer rings in on the console without a reload, with its countdown.
            await Shop.RunChatPassAsync();
            var offer = staff.GetByTestId("chat-offer");
            await Expect(offer).ToBeVisibleAsync();
            await Expect(offer.GetByTestId("offer-countdown")).ToHaveTextAsync(new Regex(@"\d+"));
            await staff.SaveScreenshotAsync($"LiveChat-agent-offer-{w.Texts.Locale}");
            await offer.GetByTestId("chat-accept").ClickAsync();
            await Expect(staff.GetByTestId("console-chat")).ToBeVisibleAsync();
            await Expect(staff.GetByTestId("console-log")).ToContainTextAsync(w.Question);
            await Expect(staff.Locator("body")).ToHaveAttributeAsync("data-console-live", "true");

            // The buyer sees the agent join, live.
            await Expect(buyer.GetByTestId("chat-status")).ToHaveTextAsync(w.Connected);
            await Expect(buyer.GetByTestId("chat-log")).ToContainTextAsync(w.Joined);

            // Both ways, no reloads; the buyer's line is marked read once the agent's console shows it.
            await staff.GetByTestId("console-text").FillAsync(w.Answer);
            await staff.GetByTestId("console-send").ClickAsync();
            await Expect(buyer.GetByTestId("chat-log")).ToContainTextAsync(w.Answer);
            await buyer.GetByTestId("chat-text").FillAsync(w.Reply);
            await buyer.GetByTestId("chat-send").ClickAsync();
            await Expect(staff.GetByTestId("console-log")).ToContainTextAsync(w.Reply);
            await Expect(buyer.GetByTestId("chat-log").Locator(".chat-own").Last.Locator("[data-read]")).ToBeVisibleAsync();
            await Expect(buyer.GetByTestId("chat-log").Locator(".chat-own").Last).ToContainTextAsync(w.Read);

            // The buyer's connection drops; what the agent writes meanwhile arrives when it is back.
            await buyer.EvaluateAsync("() => window.shopChat.drop(4000)");
            await Expect(buyer.GetByTestId("chat")).ToHaveAttributeAsync("data-live", "false");
            await staff.GetByTestId("console-text").FillAsync(w.WhileAway);
            await staff.GetByTestId("console-send").ClickAsync();
            await Expect(staff.GetByTestId("console-log")).ToContainTextAsync(w.WhileAway);
            await Expect(buyer.GetByTestId("chat")).ToHaveAttributeAsync("data-live", "true", new() { Timeout = 30_000 });
            await Expect(buyer.GetByTestId("chat-log")).ToContainTextAsync(w.WhileAway);
            await Expect(buyer.GetByTestId("chat-log").GetByText(w.WhileAway)).ToHaveCountAsync(1);
            await buyer.SaveScreenshotAsync($"LiveChat-buyer-talking-{w.Texts.Locale}");
            await staff.SaveScreenshotAsync($"LiveChat-agent-console-{w.Texts.Locale}");

            // A reload shows the whole conversation.
            await buyer.ReloadAsync();
            foreach (var line in new[] { w.Question, w.Answer, w.Reply, w.WhileAway })
                await Expect(buyer.GetByTestId("chat-log")).ToContainTextAsync(line);
            if (w.Texts.Locale == ShopTexts.Chinese.Locale)
            {
                await buyer.SetViewportSizeAsync(390, 844);
                await buyer.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserShop.ScreenshotFolder, "LiveChat-buyer-phone-zh-CN.png") });
                var box = await buyer.GetByTestId("chat").BoundingBoxAsync();
                Assert.True(box!.Width <= 390, $"chat {box.Width}px wide on a 390px screen");
                await buyer.SetViewportSizeAsync(1280, 800);
            }

            // The agent ends the chat; the buyer's page turns to the rating by itself.
            await staff.GetByTestId("console-end").ClickAsync();
            await Expect(buyer.GetByTestId("chat-rate")).ToBeVisibleAsync();
            await buyer.GetByTestId("chat-score-5").ClickAsync();
            await buyer.GetByTestId("chat-rate-send").ClickAsync();
            await Expect(buyer.GetByTestId("flash")).ToContainTextAsync(w.Rated);

            // The transcript becomes a ticket the buyer can follow.
            await buyer.GetByTestId("chat-to-ticket").ClickAsync();
            await Expect(buyer.GetByTestId("flash")).ToContainTextAsync(w.Ticket);
            await buyer.GetByTestId("chat-ticket-link").ClickAsync();
            await Expect(buyer.GetByTestId("conversation")).ToContainTextAsync(w.Question);
            await Expect(buyer.GetByTestId("conversation")).ToContainTextAsync(w.WhileAway);
            Assert.Empty(Shop.CspRefusals(staff.Context));
        }
        finally
        {
            await staff.Context.CloseAsync();
        }
    }
}
