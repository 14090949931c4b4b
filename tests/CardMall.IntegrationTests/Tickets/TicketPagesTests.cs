using System.Globalization;
using System.Net;
using AngleSharp.Html.Dom;
using CardMall.Application.Abstractions;
using CardMall.Domain.Accounts;
using CardMall.Domain.KnowledgeBase;
using CardMall.Domain.Tickets;
using CardMall.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CardMall.IntegrationTests.Tickets;

/// <summary>
/// The buyer's ticket pages as a browser uses them: "Report a problem" on a key, the new-ticket form with
/// images and suggested articles, the ticket page with its forms, my tickets, and the reseller's bulk form —
/// with refused input shown on the form and nothing stored, and nobody else's ticket or evidence visible.
/// </summary>
public sealed class TicketPagesTests(TicketShop shop) : IClassFixture<TicketShop>
{
    private readonly TicketTestKit _kit = new(shop);

    [Fact]
    public async Task Report_a_problem_on_a_key_opens_the_form_for_that_key_and_filing_it_with_a_screenshot_shows_the_ticket()
    {
        var order = await _kit.BuyerWithOrderAsync();
        await TutorialAsync(order.Sku);
        using var web = await _kit.SignInAsync(order.Buyer, "en-US");

        var orderPage = await web.GetAsync($"/Orders/{order.OrderNo}");
        var report = orderPage.Document.QuerySelectorAll("[data-testid=key-row]")
            .Single(r => r.GetAttribute("data-item-id") == order.ItemIds[1].ToString())
            .QuerySelector("a[data-testid=report-problem]")!;
        Assert.Equal("Report a problem", report.TextContent.Trim());
        var formUrl = report.GetAttribute("href")!;
        Assert.Equal($"/Tickets/New?order={order.OrderNo}&item={order.ItemIds[1]}", formUrl);

        var form = await web.GetAsync(formUrl);
        Assert.Equal(HttpStatusCode.OK, form.Status);
        Assert.Equal(order.OrderNo, ((IHtmlOptionElement)form.Document.QuerySelector("[data-testid=order-select] option[selected]")!).Value);
        var ticked = form.Document.QuerySelectorAll("input[name='Input.ItemIds']").OfType<IHtmlInputElement>().Where(i => i.IsChecked).Select(i => i.Value).ToList();
        Assert.Equal([order.ItemIds[1].ToString()], ticked);
        Assert.Equal(8, form.Document.QuerySelectorAll("[data-testid=category-select] option").Length - 1);
        // The product's tutorial is suggested as soon as the order is known.
        Assert.Contains(form.Document.QuerySelectorAll("[data-testid=suggested-article]"), a => a.GetAttribute("data-slug") == Article.TutorialSlugFor(order.Sku));

        // Choosing the problem posts the form back: the fitting FAQ appears, what was typed stays, nothing is filed.
        var before = await _kit.TicketRowsAsync();
        var refreshed = await TicketTestKit.SubmitMultipartAsync(web, formUrl, "form[data-testid=ticket-form]", Fields(order, order.ItemIds[1], "key_invalid", "It says invalid."),
            action: "/Tickets/New?handler=Refresh");
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal(["tutorial-" + order.Sku.ToLowerInvariant(), "faq-key-invalid"],
            refreshed.Document.QuerySelectorAll("[data-testid=suggested-article]").Select(a => a.GetAttribute("data-slug")).ToList());
        Assert.Equal("It says invalid.", refreshed.Document.QuerySelector("#Input_Description")!.TextContent);
        Assert.Equal(before, await _kit.TicketRowsAsync());

        var png = TicketTestKit.Png(3000);
        var filed = await TicketTestKit.SubmitMultipartAsync(web, formUrl, "form[data-testid=ticket-form]",
            [.. Fields(order, order.ItemIds[1], "key_invalid", "The official site says the code is invalid."), new("Input.Device", "iPhone 15")],
            [("Input.Images", "错误截图.png", "image/png", png)]);

        Assert.Equal(HttpStatusCode.Redirect, filed.Status);
        var ticketNo = await _kit.ScalarAsync<string>("SELECT no FROM tickets WHERE buyer_id = $1", order.Account.UserId);
        Assert.Equal($"/Tickets/{ticketNo}", filed.Location);
        var page = await web.FollowAsync(filed);
        Assert.Equal(ticketNo, page.Document.QuerySelector("[data-testid=ticket-no]")!.TextContent.Trim());
        Assert.Contains("Your ticket is in", page.Document.QuerySelector("[data-testid=flash]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Submitted", page.Document.QuerySelector("[data-testid=ticket-status]")!.TextContent.Trim());
        Assert.Contains("The official site says the code is invalid.", page.Document.QuerySelector("[data-testid=conversation]")!.TextContent, StringComparison.Ordinal);
        var code = order.Codes[1];
        Assert.Equal("****" + code[^4..], page.Document.QuerySelector("[data-testid=masked-code]")!.TextContent.Trim());
        Assert.DoesNotContain(code, page.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("iPhone 15", page.Html, StringComparison.Ordinal);

        // The screenshot is stored in PostgreSQL and served to its owner, typed by its content.
        var imageUrl = page.Document.QuerySelector("[data-testid=evidence] img")!.GetAttribute("src")!;
        var image = await web.Client.GetAsync(imageUrl);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal(png, await image.Content.ReadAsByteArrayAsync());
        Assert.Equal("nosniff", image.Headers.GetValues("X-Content-Type-Options").Single());

        // Another buyer sees neither the ticket nor its evidence.
        var stranger = await _kit.BuyerWithOrderAsync();
        using var other = await _kit.SignInAsync(stranger.Buyer, "en-US");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/Tickets/{ticketNo}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.GetAsync(imageUrl)).StatusCode);
        Assert.Empty((await other.GetAsync("/Tickets")).Document.QuerySelectorAll("[data-testid=ticket-row]"));
        // Nor does an anonymous visitor: sign in first.
        var anonymous = await _kit.App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false }).GetAsync(imageUrl);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
    }

    public static TheoryData<string> BadInputs => ["oversized image", "text file named .png", "empty description", "unknown category", "key of another order", "six images"];

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_on_the_new_ticket_form_is_shown_on_the_form_and_nothing_is_stored(string bad)
    {
        var order = await _kit.BuyerWithOrderAsync();
        var another = await _kit.BuyAsync(order.Buyer, order.Sku, 1);
        using var web = await _kit.SignInAsync(order.Buyer, "zh-CN");
        var url = $"/Tickets/New?order={order.OrderNo}";
        var item = bad == "key of another order" ? another.ItemIds[0] : order.ItemIds[0];
        var category = bad == "unknown category" ? "broken_key" : "key_already_used";
        var description = bad == "empty description" ? "   " : "提示已被使用";
        var files = bad switch
        {
            "oversized image" => [("Input.Images", "big.png", "image/png", TicketTestKit.Png(5 * 1024 * 1024 + 1))],
            "text file named .png" => [("Input.Images", "shot.png", "image/png", "just some text, not an image"u8.ToArray())],
            "six images" => Enumerable.Range(1, 6).Select(i => ("Input.Images", $"s{i}.png", "image/png", TicketTestKit.Png(500))).ToList(),
            _ => new List<(string, string, string, byte[])> { ("Input.Images", "ok.png", "image/png", TicketTestKit.Png(500)) },
        };
        var before = await _kit.TicketRowsAsync();

        var page = await TicketTestKit.SubmitMultipartAsync(web, url, "form[data-testid=ticket-form]", Fields(order, item, category, description), files);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var expected = bad switch
        {
            "oversized image" => page.Document.QuerySelectorAll("[data-testid=image-error]").Select(e => e.TextContent).ToList(),
            "text file named .png" => page.Document.QuerySelectorAll("[data-testid=image-error]").Select(e => e.TextContent).ToList(),
            "six images" => page.Document.QuerySelectorAll("[data-testid=image-error]").Select(e => e.TextContent).ToList(),
            "empty description" => page.FieldErrors("Input.Description").ToList(),
            "unknown category" => page.FieldErrors("Input.Category").ToList(),
            _ => page.FieldErrors("Input.ItemIds").ToList(),
        };
        var message = Assert.Single(expected);
        Assert.Contains(bad switch
        {
            "oversized image" => "超过 5 MB",
            "text file named .png" => "不是 PNG、JPG 或 WebP 图片",
            "six images" => "最多上传 5 张图片",
            "empty description" => "请描述遇到的问题",
            "unknown category" => "请选择问题类型",
            _ => "不属于这个订单",
        }, message, StringComparison.Ordinal);
        // The form keeps what was typed (except the files, which a browser never re-fills).
        Assert.Equal(order.OrderNo, ((IHtmlOptionElement)page.Document.QuerySelector("[data-testid=order-select] option[selected]")!).Value);
        Assert.Equal(before, await _kit.TicketRowsAsync());
    }

    [Fact]
    public async Task The_ticket_page_shows_status_and_promised_times_in_the_buyers_time_zone_and_never_an_internal_note()
    {
        var order = await _kit.BuyerWithOrderAsync();
        var ticketNo = await _kit.FileAsync(order);
        var agent = await TestAccounts.CreateAsync(_kit.App, ShopRoles.Agent);
        await _kit.AddInternalNoteAsync(ticketNo, "INTERNAL-NOTE: possible fraud, do not refund", agent.UserId);
        await _kit.AddAgentReplyAsync(ticketNo, "很抱歉让你久等了，我们正在核实这个卡密。", agent.UserId);
        var due = await _kit.ScalarAsync<DateTime>("SELECT resolution_due_at FROM tickets WHERE no = $1", ticketNo);

        foreach (var (language, zone, status) in new[] { ("zh-CN", "Asia/Shanghai", "已提交"), ("en-US", "America/New_York", "Submitted") })
        {
            using (var scope = _kit.App.Services.CreateScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<ICardMallDb>();
                (await db.Users.FindAsync(order.Account.UserId))!.TimeZoneId = zone;
                await db.SaveChangesAsync();
            }
            using var web = await _kit.SignInAsync(order.Buyer, language);
            var page = await web.GetAsync($"/Tickets/{ticketNo}");

            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.DoesNotContain("INTERNAL-NOTE", page.Html, StringComparison.Ordinal);
            Assert.DoesNotContain("internal-proof", page.Html, StringComparison.Ordinal);
            Assert.Equal(status, page.Document.QuerySelector("[data-testid=ticket-status]")!.TextContent.Trim());
            Assert.Equal(["buyer", "agent"], page.Document.QuerySelectorAll("[data-testid=message]").Select(m => m.GetAttribute("data-author")).ToList());
            Assert.Contains("很抱歉让你久等了", page.Document.QuerySelector("[data-testid=conversation]")!.TextContent, StringComparison.Ordinal);
            var local = TimeZoneInfo.ConvertTime(new DateTimeOffset(due, TimeSpan.Zero), TimeZoneInfo.FindSystemTimeZoneById(zone));
            Assert.Equal(local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), page.Document.QuerySelector("[data-testid=resolve-by]")!.TextContent.Trim());
            Assert.Contains(zone, page.Html, StringComparison.Ordinal);
            Assert.NotEmpty(page.Document.QuerySelector("[data-testid=status-explainer]")!.TextContent.Trim());
            Assert.NotNull(page.Document.QuerySelector("form[data-testid=reply-form]"));
            Assert.NotNull(page.Document.QuerySelector("button[data-testid=urge]"));
            Assert.Null(page.Document.QuerySelector("form[data-testid=rating-form]"));
            Assert.Equal($"/Orders/{order.OrderNo}", page.Document.QuerySelector("[data-testid=order-link]")!.GetAttribute("href"));
        }
    }

    [Fact]
    public async Task On_the_ticket_page_the_buyer_urges_once_an_hour_replies_with_an_image_confirms_and_rates_once()
    {
        var order = await _kit.BuyerWithOrderAsync();
        var ticketNo = await _kit.FileAsync(order);
        using var web = await _kit.SignInAsync(order.Buyer, "en-US");
        var url = $"/Tickets/{ticketNo}";

        var urged = await web.SubmitAsync(url, "form[data-testid=urge-form]", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, urged.Status);
        var after = await web.FollowAsync(urged);
        Assert.Contains("Reminder sent", after.Document.QuerySelector("[data-testid=flash]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Reminders sent: 1", after.Document.QuerySelector("[data-testid=urge-info]")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(after.Document.QuerySelector("[data-testid=urge-wait]"));
        // A second press from a page opened before the first (the button was still there) is refused politely.
        var action = after.Document.QuerySelector("form[data-testid=urge-form]")!.GetAttribute("action")!;
        var token = after.Document.QuerySelector("form[data-testid=urge-form] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var again = await WebSession.Page.ReadAsync(await web.Client.PostAsync(action, new FormUrlEncodedContent([new("__RequestVerificationToken", token)])));
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Contains("one reminder an hour", again.Document.QuerySelector("[data-testid=page-errors]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(1, await _kit.ScalarAsync<int>("SELECT urge_count FROM tickets WHERE no = $1", ticketNo));

        var replied = await TicketTestKit.SubmitMultipartAsync(web, url, "form[data-testid=reply-form]", [new("Input.Body", "Here is the error screen.")],
            [("Input.Images", "screen.png", "image/png", TicketTestKit.Png(800))]);
        Assert.Equal(HttpStatusCode.Redirect, replied.Status);
        var withReply = await web.FollowAsync(replied);
        Assert.Contains("Here is the error screen.", withReply.Document.QuerySelector("[data-testid=conversation]")!.TextContent, StringComparison.Ordinal);
        Assert.Single(withReply.Document.QuerySelectorAll("[data-testid=evidence]"));
        var emptyReply = await TicketTestKit.SubmitMultipartAsync(web, url, "form[data-testid=reply-form]", [new("Input.Body", "")]);
        Assert.Equal(HttpStatusCode.OK, emptyReply.Status);
        Assert.Single(emptyReply.FieldErrors("Input.Body"));

        await _kit.ResolveAsync(ticketNo);
        var resolved = await web.GetAsync(url);
        Assert.Equal("Resolved", resolved.Document.QuerySelector("[data-testid=ticket-status]")!.TextContent.Trim());
        Assert.Contains("We replaced the key", resolved.Document.QuerySelector("[data-testid=outcome]")!.TextContent, StringComparison.Ordinal);
        Assert.Null(resolved.Document.QuerySelector("form[data-testid=urge-form]"));
        Assert.NotNull(resolved.Document.QuerySelector("form[data-testid=reopen-form]"));

        var noScore = await web.SubmitAsync(url, "form[data-testid=rating-form]", new Dictionary<string, string> { ["Input.Comment"] = "Quick" });
        Assert.Equal(HttpStatusCode.OK, noScore.Status);
        Assert.Single(noScore.FieldErrors("Input.Score"));

        var confirmed = await web.FollowAsync(await web.SubmitAsync(url, "form[data-testid=confirm-form]", new Dictionary<string, string>()));
        Assert.Equal("Closed", confirmed.Document.QuerySelector("[data-testid=ticket-status]")!.TextContent.Trim());

        var rated = await web.FollowAsync(await web.SubmitAsync(url, "form[data-testid=rating-form]",
            new Dictionary<string, string> { ["Input.Score"] = "5", ["Input.Comment"] = "Quick and kind." }));
        Assert.Contains("5 out of 5 stars", rated.Document.QuerySelector("[data-testid=rating-given]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Quick and kind.", rated.Document.QuerySelector("[data-testid=rating-given]")!.TextContent, StringComparison.Ordinal);
        Assert.Null(rated.Document.QuerySelector("form[data-testid=rating-form]"));
    }

    [Fact]
    public async Task My_tickets_lists_each_ticket_with_its_status_and_promise_in_plain_words()
    {
        var order = await _kit.BuyerWithOrderAsync();
        var waiting = await _kit.FileAsync(order);
        _kit.Clock.Advance(TimeSpan.FromMinutes(1));
        var fresh = await _kit.FileAsync(order, "not_received", [order.ItemIds[1]]);
        await _kit.MoveAsync(waiting, TicketStatus.WaitingOnBuyer);
        using var web = await _kit.SignInAsync(order.Buyer, "zh-CN");

        var home = await web.GetAsync("/");
        Assert.Equal("/Tickets", home.Document.QuerySelector("[data-testid=my-tickets-link]")!.GetAttribute("href"));
        var page = await web.GetAsync("/Tickets");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var rows = page.Document.QuerySelectorAll("[data-testid=ticket-row]").ToList();
        Assert.Equal([fresh, waiting], rows.Select(r => r.GetAttribute("data-ticket-no")).ToList());
        Assert.Contains("没有收到卡密", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("客服会在", rows[0].QuerySelector("[data-testid=promise]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("等你回复", rows[1].QuerySelector("[data-testid=ticket-status]")!.TextContent.Trim());
        Assert.Contains("客服在等你的回复", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Null(page.Document.QuerySelector("[data-testid=bulk-ticket-link]"));
    }

    [Fact]
    public async Task The_bulk_form_is_for_resellers_and_shows_what_matched_and_which_lines_did_not()
    {
        var buyer = await _kit.BuyerWithOrderAsync();
        using (var buyerWeb = await _kit.SignInAsync(buyer.Buyer, "en-US"))
        {
            var refused = await buyerWeb.GetAsync("/Tickets/Bulk");
            Assert.Equal(HttpStatusCode.Redirect, refused.Status);
            Assert.Contains("/Account/AccessDenied", refused.Location, StringComparison.Ordinal);
        }

        var reseller = await _kit.BuyerWithOrderAsync(quantity: 3, role: ShopRoles.Reseller);
        using var web = await _kit.SignInAsync(reseller.Buyer, "en-US");
        Assert.NotNull((await web.GetAsync("/Tickets")).Document.QuerySelector("[data-testid=bulk-ticket-link]"));
        var csv = "code,secret\n" + string.Join("\n", reseller.Codes.Select(c => c + ",S")) + "\n" + buyer.Codes[0] + ",S\n";
        var before = await _kit.TicketRowsAsync();

        var empty = await TicketTestKit.SubmitMultipartAsync(web, "/Tickets/Bulk", "form[data-testid=bulk-form]",
            [new("Input.Lines", "NOPE-1\nNOPE-2"), new("Input.Category", "key_already_used"), new("Input.Description", "All used.")]);
        Assert.Equal(HttpStatusCode.OK, empty.Status);
        Assert.Contains("None of the lines matched", empty.Document.QuerySelector("[data-testid=lines-error]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(before, await _kit.TicketRowsAsync());

        var filed = await TicketTestKit.SubmitMultipartAsync(web, "/Tickets/Bulk", "form[data-testid=bulk-form]",
            [new("Input.Lines", ""), new("Input.Category", "key_already_used"), new("Input.Description", "All of them say already used.")],
            [("Input.CodesFile", "keys.csv", "text/csv", System.Text.Encoding.UTF8.GetBytes(csv))]);
        Assert.Equal(HttpStatusCode.Redirect, filed.Status);
        var result = await web.FollowAsync(filed);

        Assert.Equal("3 keys matched", result.Document.QuerySelector("[data-testid=matched-count]")!.TextContent.Trim());
        var unmatched = Assert.Single(result.Document.QuerySelectorAll("[data-testid=unmatched-line]"));
        Assert.Equal("5", unmatched.GetAttribute("data-line"));
        Assert.Contains("not on any of your orders", unmatched.TextContent, StringComparison.Ordinal);
        foreach (var code in reseller.Codes.Concat(buyer.Codes)) Assert.DoesNotContain(code, result.Html, StringComparison.OrdinalIgnoreCase);
        var ticketNo = result.Document.QuerySelector("[data-testid=bulk-ticket]")!.GetAttribute("href")!["/Tickets/".Length..];
        Assert.Equal(3L, await _kit.CountAsync("SELECT count(*) FROM ticket_items i JOIN tickets t ON t.id = i.ticket_id WHERE t.no = $1", ticketNo));
        var ticketPage = await web.GetAsync($"/Tickets/{ticketNo}");
        Assert.Equal(3, ticketPage.Document.QuerySelectorAll("[data-testid=ticket-key]").Length);
        // Shown once: a reload does not show the result again.
        Assert.Null((await web.GetAsync("/Tickets/Bulk")).Document.QuerySelector("[data-testid=bulk-result]"));
    }

    private static List<KeyValuePair<string, string>> Fields(BoughtOrder order, Guid item, string category, string description) =>
    [
        new("Input.OrderNo", order.OrderNo),
        new("Input.ItemIds", item.ToString()),
        new("Input.Category", category),
        new("Input.Description", description),
    ];

    private async Task TutorialAsync(string sku)
    {
        using var scope = _kit.App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ICardMallDb>();
        var admin = await TestAccounts.CreateAsync(_kit.App, ShopRoles.Admin);
        var now = _kit.Clock.GetUtcNow();
        db.Articles.Add(new Article(Article.TutorialSlugFor(sku), ArticleKind.Tutorial, sku, new ArticleText("使用教程", "步骤。"), new ArticleText("How to use it", "Steps."), true, admin.UserId, now));
        if (!db.Articles.Any(a => a.Slug == "faq-key-invalid"))
            db.Articles.Add(new Article("faq-key-invalid", ArticleKind.Faq, null, new ArticleText("卡密无效怎么办", "先检查。"), new ArticleText("Key invalid?", "Check first."), true, admin.UserId, now));
        await db.SaveChangesAsync();
    }
}
