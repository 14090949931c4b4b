using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using CardMall.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CardMall.BrowserTests;

/// <summary>
/// The after-sales portal end to end, the buyer and the desk each in their own browser: a new buyer
/// (topped up through the sandbox, so the wallet's figures are the test's own) buys a game card, reports
/// a problem on its key with a screenshot, and reads the promised reply time; the agent finds the ticket
/// in the queue already theirs (routing gave it to the only agent on duty), sees the screenshot, answers with a reply template,
/// refunds part of the order and resolves the ticket; the buyer reads the answer, the status and the
/// refund — on the ticket and in the wallet — and rates the help once.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AfterSalesJourneyTests(BrowserShop shop) : BrowserTest(shop)
{
    private const string Sku = "WOW-60";

    /// <summary>What a regular buyer pays for WOW-60 (DemoCatalog).</summary>
    private const decimal Price = 57.00m;

    private const decimal TopUp = 100.00m;

    /// <summary>Well within an agent's ¥200 per ticket, so it is paid at once.</summary>
    private const decimal Refund = 10.00m;

    /// <summary>Who works the ticket: the only agent on duty while the journey runs, so routing must give it to them.</summary>
    private const string Agent = "agent@cardmall.test";

    private const string EvidenceName = "redeem-error.png";
    private const int ImageWidth = 48;
    private const int ImageHeight = 32;

    // The top-up is credited by the gateway's notification in the background; see FullPurchaseJourneyTests.
    private static readonly LocatorAssertionsToHaveTextOptions CreditWait = new() { Timeout = 30_000 };

    private static readonly Regex ClockTime = new(@"(\d{4}-\d{2}-\d{2} )?\d{2}:\d{2}");

    [Fact]
    public Task A_buyer_reports_an_invalid_key_with_a_screenshot_the_agent_answers_refunds_part_and_resolves_and_the_buyer_rates_it_in_Chinese() =>
        InBrowserAsync(ShopTexts.Chinese.Locale, async buyer =>
        {
            var words = AfterSalesTexts.Chinese;
            var name = "小周" + Guid.NewGuid().ToString("N")[..4];
            var orderNo = await SignUpTopUpAndBuyAsync(buyer, ShopTexts.Chinese, words, name);

            // "Report a problem" on the key: the form comes with the order and the key already chosen.
            await using var desk = await Shop.DeskOfOneAsync(Agent, "KeyInvalid");
            var ticketNo = await FileTicketAsync(buyer, words, orderNo, words.CategoryKeyInvalid, "key_invalid",
                "在战网兑换时提示“卡号或密码错误”，换了浏览器又试了一次还是一样。", evidence: true);

            // The desk, in a browser of its own.
            var reply = "另外，为了不让您久等，我已先为您退还 10 元到余额，稍后供应商核实完毕会再告诉您结果。";
            await AtTheDeskAsync(words, ticketNo, async staff =>
            {
                var attachment = staff.GetByTestId("conversation").GetByTestId("attachment");
                await Expect(attachment).ToHaveCountAsync(1);
                await attachment.ScrollIntoViewIfNeededAsync();
                await Expect(attachment.GetByRole(AriaRole.Img, new LocatorGetByRoleOptions { Name = EvidenceName })).ToHaveJSPropertyAsync("naturalWidth", ImageWidth);

                await ReplyWithTemplateAsync(staff, words, words.TemplateKeyInvalid, name, orderNo, reply);

                // Remedies: a partial refund within the agent's limit is paid at once.
                await staff.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = words.Remedies, Exact = true }).ClickAsync();
                await Expect(staff).ToHaveURLAsync(new Regex($"/Admin/Tickets/{ticketNo}/Remedies$"));
                await Expect(staff.GetByTestId("paid-on-ticket")).ToHaveTextAsync(Yuan(0));
                var refund = staff.GetByTestId("refund-form");
                var amount = refund.GetByLabel(words.Amount, new LocatorGetByLabelOptions { Exact = true });
                await Expect(amount).ToHaveValueAsync(Price.ToString("0.00", CultureInfo.InvariantCulture));
                await amount.FillAsync(Refund.ToString(CultureInfo.InvariantCulture));
                await refund.GetByLabel(words.Reason, new LocatorGetByLabelOptions { Exact = true }).FillAsync(words.RefundReason);
                await refund.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = words.RefundButton, Exact = true }).ClickAsync();
                await Expect(staff.GetByTestId("remedy-done")).ToHaveTextAsync(string.Format(CultureInfo.InvariantCulture, words.Refunded, Yuan(Refund)));
                await Expect(staff.GetByTestId("paid-on-ticket")).ToHaveTextAsync(Yuan(Refund));
                await SaveTopAsync(staff, $"AfterSales-agent-remedies-{words.Locale}");

                // Back on the ticket: resolved, with who was responsible and why, for the dashboards.
                await staff.GetByTestId("back-to-ticket").ClickAsync();
                var resolve = staff.GetByTestId("resolve-form");
                await resolve.GetByLabel(words.Responsibility, new LocatorGetByLabelOptions { Exact = true })
                    .SelectOptionAsync(new SelectOptionValue { Label = words.ResponsibilitySupplier });
                await resolve.GetByLabel(words.RootCause, new LocatorGetByLabelOptions { Exact = true })
                    .SelectOptionAsync(new SelectOptionValue { Label = words.RootCauseKeyDefective });
                await resolve.GetByLabel(words.Resolution, new LocatorGetByLabelOptions { Exact = true })
                    .SelectOptionAsync(new SelectOptionValue { Label = words.ResolutionPartiallyRefunded });
                await resolve.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = words.ResolveButton, Exact = true }).ClickAsync();
                await Expect(staff.GetByTestId("done")).ToHaveTextAsync(words.ResolvedDone);
                await Expect(staff.GetByTestId("ticket-status")).ToHaveTextAsync(words.StaffStatusResolved);
                await Expect(staff.GetByTestId("refunded")).ToHaveTextAsync(Yuan(Refund));
                await Expect(staff.GetByTestId("decision")).ToContainTextAsync(words.ResolutionPartiallyRefunded);
                await SaveTopAsync(staff, $"AfterSales-agent-ticket-{words.Locale}");
            });

            // The buyer: the answer, the outcome and the refund, without having to ask.
            await buyer.ReloadAsync();
            await Expect(buyer.GetByTestId("ticket-status")).ToHaveTextAsync(words.StatusResolved);
            var answer = buyer.GetByTestId("conversation").Locator("[data-author='agent']");
            await Expect(answer).ToHaveCountAsync(1);
            await Expect(answer).ToContainTextAsync(words.AgentAuthor);
            await Expect(answer).ToContainTextAsync(name);
            await Expect(answer).ToContainTextAsync(reply);
            var refunded = buyer.GetByTestId("timeline").GetByTestId("event").Filter(new LocatorFilterOptions
            {
                HasText = string.Format(CultureInfo.InvariantCulture, words.RefundEvent, Yuan(Refund)),
            });
            await Expect(refunded).ToHaveCountAsync(1);
            await Expect(buyer.GetByTestId("outcome")).ToContainTextAsync(words.OutcomePartiallyRefunded);
            await buyer.SaveScreenshotAsync($"AfterSales-buyer-ticket-resolved-{words.Locale}");

            // The wallet: the refund on the statement, the balance up by exactly that much.
            await buyer.OpenFromAccountMenuAsync(words.WalletLink);
            await Expect(buyer.Heading(words.WalletHeading)).ToBeVisibleAsync();
            await Expect(buyer.GetByTestId("wallet-balance")).ToHaveTextAsync(Yuan(TopUp - Price + Refund));
            var lines = buyer.GetByTestId("ledger").Locator("tbody tr");
            await Expect(lines).ToHaveCountAsync(3);
            var newest = lines.Nth(0).Locator("td");
            await Expect(newest.Nth(1)).ToHaveTextAsync(words.RefundKind);
            await Expect(newest.Nth(2)).ToHaveTextAsync("+" + Yuan(Refund));
            await Expect(newest.Nth(3)).ToHaveTextAsync(Yuan(TopUp - Price + Refund));
            await Expect(newest.Nth(4)).ToContainTextAsync(ticketNo);
            await Expect(lines.Nth(1).Locator("td").Nth(3)).ToHaveTextAsync(Yuan(TopUp - Price));

            // Rating: five stars and a word of thanks, once.
            await buyer.OpenFromAccountMenuAsync(words.MyTicketsLink);
            await buyer.GetByTestId("tickets").GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = ticketNo, Exact = true }).ClickAsync();
            var rating = buyer.GetByTestId("rating-form");
            await rating.GetByTitle(words.Score5, new LocatorGetByTitleOptions { Exact = true }).ClickAsync();
            await Expect(rating.GetByRole(AriaRole.Radio, new LocatorGetByRoleOptions { Name = "5", Exact = true })).ToBeCheckedAsync();
            await rating.GetByLabel(words.RatingComment, new LocatorGetByLabelOptions { Exact = true }).FillAsync(words.RatingCommentText);
            await rating.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = words.RateButton, Exact = true }).ClickAsync();
            await Expect(buyer.GetByTestId("flash")).ToHaveTextAsync(words.RatedFlash);
            var given = buyer.GetByTestId("rating-given");
            await Expect(given).ToContainTextAsync(string.Format(CultureInfo.InvariantCulture, words.RatingGiven, 5));
            await Expect(given).ToContainTextAsync(words.RatingCommentText);
            await Expect(buyer.GetByTestId("rating-form")).ToHaveCountAsync(0);
            await buyer.ReloadAsync();
            await Expect(buyer.GetByTestId("rating-given")).ToBeVisibleAsync();
            await Expect(buyer.GetByTestId("rating-form")).ToHaveCountAsync(0);
            await Expect(buyer.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = words.RateButton, Exact = true })).ToHaveCountAsync(0);
            await buyer.SaveScreenshotAsync($"AfterSales-buyer-ticket-rated-{words.Locale}");
        });

    [Fact]
    public Task A_buyer_reports_an_activation_problem_and_reads_the_agents_reply_in_English() =>
        InBrowserAsync(ShopTexts.English.Locale, async buyer =>
        {
            var words = AfterSalesTexts.English;
            var name = "Sam " + Guid.NewGuid().ToString("N")[..4];
            var orderNo = await SignUpTopUpAndBuyAsync(buyer, ShopTexts.English, words, name);
            await using var desk = await Shop.DeskOfOneAsync(Agent, "ActivationFailed");
            var ticketNo = await FileTicketAsync(buyer, words, orderNo, words.CategoryActivationFailed, "activation_failed",
                "Battle.net says the code cannot be redeemed. I tried twice, at about 14:20.", evidence: false);

            var reply = "P.S. I have also checked the key on our side: it has not been used, so it should go through once pasted.";
            await AtTheDeskAsync(words, ticketNo, async staff =>
            {
                await ReplyWithTemplateAsync(staff, words, words.TemplateActivationFailed, name, orderNo, reply);
                await SaveTopAsync(staff, $"AfterSales-agent-ticket-{words.Locale}");
            });

            // The buyer is told (the bell counts it) and reads the answer on the ticket.
            await buyer.ReloadAsync();
            await Expect(buyer.GetByTestId("unread-count")).ToBeVisibleAsync();
            await Expect(buyer.GetByTestId("ticket-status")).ToHaveTextAsync(words.StatusOpen);
            await Expect(buyer.GetByTestId("status-explanation")).ToHaveTextAsync(new Regex(words.ExplainOpen));
            var answer = buyer.GetByTestId("conversation").Locator("[data-author='agent']");
            await Expect(answer).ToHaveCountAsync(1);
            await Expect(answer).ToContainTextAsync(words.AgentAuthor);
            await Expect(answer).ToContainTextAsync($"Hello {name},");
            await Expect(answer).ToContainTextAsync(reply);
            await Expect(buyer.GetByTestId("promises")).ToContainTextAsync(words.FirstReplyAt);
            await buyer.SaveScreenshotAsync($"AfterSales-buyer-ticket-answered-{words.Locale}");
        });

    /// <summary>Registers a new buyer, tops the wallet up through the sandbox, buys one WOW-60 card and returns the order number.</summary>
    private static async Task<string> SignUpTopUpAndBuyAsync(IPage page, ShopTexts texts, AfterSalesTexts words, string displayName)
    {
        await page.GotoAsync("/");
        await page.RegisterAsync(texts, UniqueEmail("after-sales"), displayName);

        await page.OpenFromAccountMenuAsync(words.WalletLink);
        await Expect(page.GetByTestId("wallet-balance")).ToHaveTextAsync(Yuan(0));
        var topUp = page.GetByTestId("top-up-form");
        await topUp.GetByText(Yuan(TopUp), new LocatorGetByTextOptions { Exact = true }).ClickAsync();
        await topUp.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = words.ContinueToPayment, Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/Sandbox/Pay/SB\\d+$"));
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = words.Pay, Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("top-up-result")).ToHaveTextAsync(words.Credited, CreditWait);

        await page.GotoAsync("/Products/" + Sku);
        await Expect(page.Heading(words.ProductName)).ToBeVisibleAsync();
        var buy = page.GetByTestId("buy-form");
        await buy.GetByLabel(words.AcceptNotices, new LocatorGetByLabelOptions { Exact = true }).CheckAsync();
        await buy.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = words.BuyNow, Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/Orders/[A-Z0-9]+$"));
        await Expect(page.GetByTestId("key-row")).ToHaveCountAsync(1);
        return (await page.GetByTestId("order-no").InnerTextAsync()).Trim();
    }

    /// <summary>
    /// From the order page: "Report a problem" on its key, the prefilled form completed and sent. Ends on
    /// the new ticket's page, checked for its status and promised reply time; returns the ticket number.
    /// </summary>
    private static async Task<string> FileTicketAsync(IPage page, AfterSalesTexts words, string orderNo, string category, string categoryValue,
        string description, bool evidence)
    {
        await page.GetByTestId("key-row").GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = words.ReportProblem, Exact = true }).ClickAsync();
        await Expect(page.Heading(words.NewTicketHeading)).ToBeVisibleAsync();
        var form = page.GetByTestId("ticket-form");
        // The form's labels start with their step number (1, 2 …), hence no exact match on their words.
        var orderSelect = form.GetByLabel(words.WhichOrder);
        var key = form.GetByTestId("key-choices").GetByRole(AriaRole.Checkbox, new LocatorGetByRoleOptions { Name = words.KeyOne });
        await Expect(orderSelect).ToHaveValueAsync(orderNo);
        await Expect(key).ToBeCheckedAsync();

        // Choosing the kind of problem posts the form back for matching help articles; what was chosen stays.
        await form.GetByLabel(words.WhatProblem)
            .SelectOptionAsync(new SelectOptionValue { Label = category });
        await Expect(page).ToHaveURLAsync(new Regex("handler=Refresh"));
        await Expect(form.GetByLabel(words.WhatProblem)).ToHaveValueAsync(categoryValue);
        await Expect(orderSelect).ToHaveValueAsync(orderNo);
        await Expect(key).ToBeCheckedAsync();

        await form.GetByLabel(words.WhatHappened).FillAsync(description);
        await form.GetByLabel(words.Device).FillAsync("Windows 11 PC");
        if (evidence)
        {
            await form.GetByLabel(words.Screenshots).SetInputFilesAsync(new FilePayload
            {
                Name = EvidenceName,
                MimeType = "image/png",
                Buffer = Png(ImageWidth, ImageHeight),
            });
        }
        await page.SaveScreenshotAsync($"AfterSales-buyer-new-ticket-{words.Locale}");
        await form.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = words.SubmitTicket, Exact = true }).ClickAsync();

        // The ticket's own page: received, in plain words, with the time an agent will have replied by.
        await Expect(page).ToHaveURLAsync(new Regex("/Tickets/TK\\d+$"));
        await Expect(page.GetByTestId("flash")).ToHaveTextAsync(words.CreatedFlash);
        var ticketNo = (await page.GetByTestId("ticket-no").InnerTextAsync()).Trim();
        await Expect(page.GetByTestId("ticket-status")).ToHaveTextAsync(words.StatusNew);
        await Expect(page.GetByTestId("status-explanation")).ToHaveTextAsync(new Regex(words.ExplainNew));
        var promises = page.GetByTestId("promises");
        await Expect(promises).ToContainTextAsync(words.ReplyBy);
        await Expect(promises.GetByTestId("reply-by")).ToHaveTextAsync(ClockTime);
        await Expect(promises.GetByTestId("resolve-by")).ToHaveTextAsync(ClockTime);
        await Expect(page.GetByTestId("ticket-keys").GetByTestId("order-link")).ToHaveTextAsync(orderNo);
        var mine = page.GetByTestId("conversation").Locator("[data-author='buyer']");
        await Expect(mine).ToContainTextAsync(description);
        if (evidence)
        {
            var image = mine.GetByTestId("evidence").GetByRole(AriaRole.Img, new LocatorGetByRoleOptions { Name = EvidenceName });
            await Expect(image).ToHaveJSPropertyAsync("naturalWidth", ImageWidth);
        }
        await page.SaveScreenshotAsync($"AfterSales-buyer-ticket-new-{words.Locale}");
        return ticketNo;
    }

    /// <summary>
    /// The desk's side, in a browser context of its own: the agent signs in, finds the ticket in the queue by its
    /// number (filtered to new tickets of the product) already theirs — routing gave it to the only agent on duty
    /// with the skill, nobody claimed it — opens it and hands the open ticket page to <paramref name="work"/>.
    /// </summary>
    private async Task AtTheDeskAsync(AfterSalesTexts words, string ticketNo, Func<IPage, Task> work)
    {
        var texts = words.Locale == ShopTexts.English.Locale ? ShopTexts.English : ShopTexts.Chinese;
        var staff = await Shop.NewPageAsync(words.Locale);
        var finished = false;
        // The workspace asks before it replaces typed text; the agent answers "yes".
        staff.Dialog += (_, dialog) => dialog.AcceptAsync();
        try
        {
            await staff.GotoAsync("/");
            await staff.SignInAsync(texts, Agent, ShopJourneys.DemoPassword);
            await staff.OpenFromAccountMenuAsync(texts.StaffArea);
            await staff.Locator(".admin-sidebar").GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = words.QueueNav, Exact = true }).ClickAsync();
            await Expect(staff.Heading(words.QueueNav)).ToBeVisibleAsync();

            var filter = staff.GetByTestId("queue-filter");
            await filter.GetByLabel(words.StatusFilter, new LocatorGetByLabelOptions { Exact = true })
                .SelectOptionAsync(new SelectOptionValue { Label = words.StaffStatusNew });
            await filter.GetByLabel(words.ProductFilter, new LocatorGetByLabelOptions { Exact = true }).SelectOptionAsync(Sku);
            await filter.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = words.FilterButton, Exact = true }).ClickAsync();
            await Expect(staff).ToHaveURLAsync(new Regex("status=New"));

            var row = staff.GetByTestId("queue").Locator("tbody tr").Filter(new LocatorFilterOptions { HasText = ticketNo });
            await Expect(row).ToHaveCountAsync(1);
            await Expect(row.GetByTestId("assignee")).ToHaveTextAsync(words.Me);
            await Expect(row.GetByTestId("assignee").GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = words.Claim, Exact = true }))
                .ToHaveCountAsync(0);
            await SaveTopAsync(staff, $"AfterSales-agent-queue-{words.Locale}");

            await row.GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = ticketNo, Exact = true }).ClickAsync();
            await Expect(staff).ToHaveURLAsync(new Regex($"/Admin/Tickets/{ticketNo}$"));
            await Expect(staff.GetByTestId("ticket-no")).ToHaveTextAsync(ticketNo);
            await Expect(staff.GetByTestId("assignee")).ToContainTextAsync(words.Me);
            await work(staff);
            finished = true;
        }
        finally
        {
            if (!finished)
            {
                try
                {
                    await SaveTopAsync(staff, $"AfterSales-desk-{words.Locale}");
                }
                catch (PlaywrightException)
                {
                    // The step's own failure is the one to report.
                }
            }
            await staff.Context.CloseAsync();
        }
    }

    /// <summary>Picks the reply template, checks it was filled in for this buyer and order, adds a line and sends it.</summary>
    private static async Task ReplyWithTemplateAsync(IPage staff, AfterSalesTexts words, string templateTitle, string buyerName, string orderNo, string addition)
    {
        var picker = staff.GetByTestId("template-picker").GetByLabel(words.Template, new LocatorGetByLabelOptions { Exact = true });
        var option = picker.Locator("option", new LocatorLocatorOptions { HasText = templateTitle });
        await Expect(option).ToHaveCountAsync(1);
        await picker.SelectOptionAsync(await option.GetAttributeAsync("value") ?? "");

        var box = staff.GetByTestId("reply-form").GetByLabel(words.ReplyToBuyer, new LocatorGetByLabelOptions { Exact = true });
        await Expect(box).ToHaveValueAsync(new Regex(Regex.Escape(buyerName)));
        await Expect(box).ToHaveValueAsync(new Regex(Regex.Escape(orderNo)));
        await Expect(box).Not.ToHaveValueAsync(new Regex(@"\{(buyer|orderNo|maskedKey|dueAt)\}"));
        var filled = await box.InputValueAsync();
        await box.FillAsync(filled.TrimEnd() + "\n\n" + addition);
        await SaveTopAsync(staff, $"AfterSales-agent-reply-{words.Locale}");

        await staff.GetByTestId("reply-form").GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = words.SendReply, Exact = true }).ClickAsync();
        await Expect(staff.GetByTestId("done")).ToHaveTextAsync(words.RepliedDone);
        var sent = staff.GetByTestId("conversation").Locator("[data-author='staff']");
        await Expect(sent).ToHaveCountAsync(1);
        await Expect(sent).ToContainTextAsync(addition);
        await Expect(staff.GetByTestId("ticket-status")).ToHaveTextAsync(words.StaffStatusOpen);
    }

    /// <summary>A full-page screenshot from the top (scrolled, the sticky bar would be drawn over the middle).</summary>
    private static async Task SaveTopAsync(IPage page, string name)
    {
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await page.SaveScreenshotAsync(name);
    }

    /// <summary>
    /// A real PNG (signature, IHDR, zlib-compressed IDAT, IEND, each chunk with its CRC), so the browser
    /// can draw it: a red-to-blue gradient, as small as a screenshot of an error gets.
    /// </summary>
    private static byte[] Png(int width, int height)
    {
        var raw = new byte[height * (1 + width * 3)];
        for (var y = 0; y < height; y++)
        {
            var row = y * (1 + width * 3);
            raw[row] = 0; // filter: none
            for (var x = 0; x < width; x++)
            {
                raw[row + 1 + x * 3] = (byte)(255 - x * 255 / width);
                raw[row + 2 + x * 3] = (byte)(y * 255 / height);
                raw[row + 3 + x * 3] = (byte)(x * 255 / width);
            }
        }
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) zlib.Write(raw);

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type: RGB

        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typed));
        png.Write(number);
    }

    /// <summary>The CRC-32 (IEEE) a PNG chunk ends with, over its type and data.</summary>
    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return crc ^ 0xFFFFFFFFu;
    }

    private static string Yuan(decimal amount) => "¥" + amount.ToString("#,0.00", CultureInfo.InvariantCulture);

    /// <summary>
    /// The words of this journey, copied from SharedResource(.en).resx, Messages(.en).resx and the demo data
    /// on purpose (see ShopTexts). ExplainNew/ExplainOpen are patterns: the promised time is the clock's.
    /// </summary>
    private sealed record AfterSalesTexts(
        string Locale, string WalletLink, string WalletHeading, string ContinueToPayment, string Pay, string Credited, string ProductName,
        string AcceptNotices, string BuyNow, string ReportProblem, string NewTicketHeading, string WhichOrder, string KeyOne, string WhatProblem,
        string CategoryKeyInvalid, string CategoryActivationFailed, string WhatHappened, string Device, string Screenshots, string SubmitTicket,
        string CreatedFlash, string StatusNew, string StatusOpen, string StatusResolved, string ExplainNew, string ExplainOpen, string ReplyBy,
        string FirstReplyAt, string AgentAuthor, string RefundEvent, string OutcomePartiallyRefunded, string RefundKind, string MyTicketsLink,
        string Score5, string RatingComment, string RatingCommentText, string RateButton, string RatedFlash, string RatingGiven,
        string QueueNav, string StatusFilter, string ProductFilter, string FilterButton, string StaffStatusNew, string StaffStatusOpen,
        string StaffStatusResolved, string Claim, string Me, string Template,
        string TemplateKeyInvalid, string TemplateActivationFailed, string ReplyToBuyer, string SendReply, string RepliedDone, string Remedies,
        string Amount, string Reason, string RefundReason, string RefundButton, string Refunded, string Responsibility, string ResponsibilitySupplier,
        string RootCause, string RootCauseKeyDefective, string Resolution, string ResolutionPartiallyRefunded, string ResolveButton, string ResolvedDone)
    {
        public static AfterSalesTexts Chinese { get; } = new(
            Locale: "zh-CN",
            WalletLink: "钱包",
            WalletHeading: "我的钱包",
            ContinueToPayment: "去支付",
            Pay: "确认支付",
            Credited: "充值成功",
            ProductName: "魔兽世界 60 元点卡",
            AcceptNotices: "我已阅读并同意购买须知",
            BuyNow: "立即购买",
            ReportProblem: "报告问题",
            NewTicketHeading: "遇到问题了？告诉我们",
            WhichOrder: "哪一笔订单？",
            KeyOne: "卡密 #1",
            WhatProblem: "遇到了什么问题？",
            CategoryKeyInvalid: "卡密无效（提示卡号或密码错误）",
            CategoryActivationFailed: "激活或充值失败",
            WhatHappened: "具体说说发生了什么",
            Device: "使用的设备（选填）",
            Screenshots: "截图（选填）",
            SubmitTicket: "提交工单",
            CreatedFlash: "工单已提交。我们已经收到，会尽快回复你。",
            StatusNew: "已提交",
            StatusOpen: "处理中",
            StatusResolved: "已解决",
            ExplainNew: @"^我们已经收到你的问题，客服会在 (\d{4}-\d{2}-\d{2} )?\d{2}:\d{2} 前回复你。$",
            ExplainOpen: @"^客服正在处理你的问题，预计 (\d{4}-\d{2}-\d{2} )?\d{2}:\d{2} 前解决。",
            ReplyBy: "最晚回复时间",
            FirstReplyAt: "首次回复于",
            AgentAuthor: "售后客服",
            RefundEvent: "已退款 {0} 到你的钱包",
            OutcomePartiallyRefunded: "已部分退款到钱包",
            RefundKind: "退款",
            MyTicketsLink: "我的工单",
            Score5: "非常满意",
            RatingComment: "想对我们说的话（选填）",
            RatingCommentText: "回复很快，退款也马上到账了，谢谢！",
            RateButton: "提交评价",
            RatedFlash: "谢谢你的评价！",
            RatingGiven: "{0} 星（满分 5 星）",
            QueueNav: "工单队列",
            StatusFilter: "状态",
            ProductFilter: "商品",
            FilterButton: "筛选",
            StaffStatusNew: "新工单",
            StaffStatusOpen: "待客服",
            StaffStatusResolved: "已解决",
            Claim: "领取",
            Me: "我",
            Template: "回复模板",
            TemplateKeyInvalid: "卡密无效：正在核实",
            TemplateActivationFailed: "激活失败：分步指引",
            ReplyToBuyer: "回复买家",
            SendReply: "发送回复",
            RepliedDone: "回复已发送，买家会收到站内通知和邮件。",
            Remedies: "处理方案",
            Amount: "金额",
            Reason: "原因",
            RefundReason: "卡密无法兑换，先行退还部分货款",
            RefundButton: "退款",
            Refunded: "已退款 {0} 到买家余额，买家已收到通知。",
            Responsibility: "责任方",
            ResponsibilitySupplier: "供应商",
            RootCause: "问题原因",
            RootCauseKeyDefective: "卡密本身有问题",
            Resolution: "处理结果",
            ResolutionPartiallyRefunded: "已部分退款",
            ResolveButton: "解决工单",
            ResolvedDone: "工单已解决，买家会收到通知并可以评价。");

        public static AfterSalesTexts English { get; } = new(
            Locale: "en-US",
            WalletLink: "Wallet",
            WalletHeading: "My wallet",
            ContinueToPayment: "Continue to payment",
            Pay: "Pay",
            Credited: "Top-up successful",
            ProductName: "World of Warcraft 60 CNY game card",
            AcceptNotices: "I have read the notices",
            BuyNow: "Buy now",
            ReportProblem: "Report a problem",
            NewTicketHeading: "Something went wrong? Tell us",
            WhichOrder: "Which order?",
            KeyOne: "Key #1",
            WhatProblem: "What is the problem?",
            CategoryKeyInvalid: "Key not valid (the code or password is rejected)",
            CategoryActivationFailed: "Activation or top-up failed",
            WhatHappened: "Tell us what happened",
            Device: "Device used (optional)",
            Screenshots: "Screenshots (optional)",
            SubmitTicket: "Submit ticket",
            CreatedFlash: "Your ticket is in. We have it and will reply as soon as we can.",
            StatusNew: "Submitted",
            StatusOpen: "Being handled",
            StatusResolved: "Resolved",
            ExplainNew: @"^We have your report\. An agent will reply by (\d{4}-\d{2}-\d{2} )?\d{2}:\d{2}\.$",
            ExplainOpen: @"^An agent is working on it and expects to have it solved by (\d{4}-\d{2}-\d{2} )?\d{2}:\d{2}\.",
            ReplyBy: "We will reply by",
            FirstReplyAt: "First reply",
            AgentAuthor: "Support agent",
            RefundEvent: "{0} refunded to your wallet",
            OutcomePartiallyRefunded: "Partly refunded to your wallet",
            RefundKind: "Refund",
            MyTicketsLink: "My tickets",
            Score5: "Very happy",
            RatingComment: "Anything you want to tell us? (optional)",
            RatingCommentText: "Quick answer and the refund arrived at once, thank you!",
            RateButton: "Send rating",
            RatedFlash: "Thank you for your rating!",
            RatingGiven: "{0} out of 5 stars",
            QueueNav: "Ticket queue",
            StatusFilter: "Status",
            ProductFilter: "Product",
            FilterButton: "Filter",
            StaffStatusNew: "New",
            StaffStatusOpen: "Open",
            StaffStatusResolved: "Resolved",
            Claim: "Claim",
            Me: "Me",
            Template: "Template",
            TemplateKeyInvalid: "Key invalid: checking",
            TemplateActivationFailed: "Activation failed: step by step",
            ReplyToBuyer: "Reply to the buyer",
            SendReply: "Send reply",
            RepliedDone: "Reply sent. The buyer gets a notification and an e-mail.",
            Remedies: "Remedies",
            Amount: "Amount",
            Reason: "Reason",
            RefundReason: "The key could not be redeemed; part of the price back while we check",
            RefundButton: "Refund",
            Refunded: "Refunded {0} to the buyer's wallet; the buyer has been told.",
            Responsibility: "Responsibility",
            ResponsibilitySupplier: "Supplier",
            RootCause: "Root cause",
            RootCauseKeyDefective: "Defective key",
            Resolution: "Resolution",
            ResolutionPartiallyRefunded: "Partially refunded",
            ResolveButton: "Resolve ticket",
            ResolvedDone: "Ticket resolved. The buyer is told and can rate the help.");
    }
}
