using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CardMall.Application.Abstractions;
using CardMall.Application.Features.Tickets;
using CardMall.Domain.Accounts;
using CardMall.Domain.Common;
using CardMall.Domain.KnowledgeBase;
using CardMall.Domain.Tickets;
using CardMall.IntegrationTests.Support;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;

namespace CardMall.IntegrationTests.Tickets;

/// <summary>
/// The buyer's side of a ticket's life, against PostgreSQL with a hand-moved clock: answering restarts the
/// paused SLA clock, reopening only within 7 days, confirming, a low rating followed up, evidence only for
/// its owner and staff, a reseller's bulk ticket matched to their own keys, and help articles suggested.
/// </summary>
public sealed class BuyerTicketTests(TicketShop shop) : IClassFixture<TicketShop>
{
    private readonly TicketTestKit _kit = new(shop);

    [Fact]
    public async Task Answering_while_we_wait_on_the_buyer_reopens_the_ticket_moves_the_due_times_by_the_pause_and_tells_the_agent()
    {
        var agent = await OnDutyAgentAsync();
        var order = await _kit.BuyerWithOrderAsync();
        var ticketNo = await _kit.FileAsync(order);
        Assert.Equal(agent.UserId, await _kit.ScalarAsync<Guid>("SELECT assignee_id FROM tickets WHERE no = $1", ticketNo));
        await _kit.AddAgentReplyAsync(ticketNo, "Could you send a screenshot of the error?", agent.UserId);
        await _kit.MoveAsync(ticketNo, TicketStatus.WaitingOnBuyer);
        var dueBefore = await _kit.ScalarAsync<DateTime>("SELECT resolution_due_at FROM tickets WHERE no = $1", ticketNo);

        _kit.Clock.Advance(TimeSpan.FromHours(3));
        var replied = await _kit.SendAsync(order.Buyer,
            new ReplyToTicket(ticketNo, "Here it is.", [new EvidenceUpload("error.png", TicketTestKit.Png(2048))]));

        Assert.Equal(TicketStatus.Open, replied.Status);
        Assert.False(replied.Reopened);
        Assert.Equal(dueBefore.AddHours(3), await _kit.ScalarAsync<DateTime>("SELECT resolution_due_at FROM tickets WHERE no = $1", ticketNo));
        Assert.Equal(0L, await _kit.CountAsync("SELECT count(*) FROM tickets WHERE no = $1 AND paused_since IS NOT NULL", ticketNo));
        var kinds = await EventKindsAsync(ticketNo);
        Assert.Contains("buyer_replied", kinds);
        Assert.Contains("evidence_added", kinds);
        Assert.Equal(1L, await _kit.CountAsync("""
            SELECT count(*) FROM ticket_attachments a JOIN ticket_messages m ON m.id = a.message_id
            WHERE m.body = 'Here it is.' AND a.content_type = 'image/png' AND a.size_bytes = 2048
            """));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'TicketBuyerReplied' AND link = $2",
            agent.UserId, $"/Admin/Tickets/{ticketNo}"));
    }

    [Fact]
    public async Task A_ticket_reopens_within_seven_days_of_its_resolution_and_not_after()
    {
        var agent = await OnDutyAgentAsync();
        var order = await _kit.BuyerWithOrderAsync();
        var early = await _kit.FileAsync(order);
        var late = await _kit.FileAsync(order, "wrong_region", [order.ItemIds[1]]);
        await _kit.ResolveAsync(early);
        await _kit.ResolveAsync(late);
        await _kit.MoveAsync(late, TicketStatus.Closed);

        _kit.Clock.Advance(TimeSpan.FromDays(6));
        var reopened = await _kit.SendAsync(order.Buyer, new ReopenTicket(early, "Still says invalid."));
        Assert.Equal(TicketStatus.Open, reopened.Status);
        Assert.Equal(1, reopened.ReopenCount);
        Assert.Contains("reopened", await EventKindsAsync(early));
        Assert.Equal("Still says invalid.", await _kit.ScalarAsync<string>(
            "SELECT m.body FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.no = $1 ORDER BY m.created_at DESC LIMIT 1", early));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'TicketReopened'", agent.UserId));

        _kit.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => _kit.SendAsync(order.Buyer, new ReopenTicket(late)));
        Assert.Equal(ErrorCodes.InvalidState, refused.Code);
        Assert.Contains("new ticket", refused.Message, StringComparison.Ordinal);
        Assert.Equal("Closed", await _kit.ScalarAsync<string>("SELECT status FROM tickets WHERE no = $1", late));

        // An open ticket has nothing to reopen.
        var open = await Assert.ThrowsAsync<DomainRuleException>(() => _kit.SendAsync(order.Buyer, new ReopenTicket(early)));
        Assert.Equal(ErrorCodes.InvalidState, open.Code);
    }

    [Fact]
    public async Task A_reply_to_a_resolved_ticket_within_the_window_reopens_it()
    {
        var order = await _kit.BuyerWithOrderAsync();
        var ticketNo = await _kit.FileAsync(order);
        await _kit.ResolveAsync(ticketNo);

        var replied = await _kit.SendAsync(order.Buyer, new ReplyToTicket(ticketNo, "No, it still fails.", []));

        Assert.True(replied.Reopened);
        Assert.Equal(TicketStatus.Open, replied.Status);
        Assert.Equal(1, await _kit.ScalarAsync<int>("SELECT reopen_count FROM tickets WHERE no = $1", ticketNo));
        Assert.Contains("reopened", await EventKindsAsync(ticketNo));
    }

    [Fact]
    public async Task The_buyer_confirms_a_resolved_ticket_which_closes_it_and_an_open_one_cannot_be_confirmed()
    {
        var order = await _kit.BuyerWithOrderAsync();
        var ticketNo = await _kit.FileAsync(order);

        var tooEarly = await Assert.ThrowsAsync<DomainRuleException>(() => _kit.SendAsync(order.Buyer, new ConfirmResolution(ticketNo)));
        Assert.Equal(ErrorCodes.InvalidState, tooEarly.Code);

        await _kit.ResolveAsync(ticketNo);
        var confirmed = await _kit.SendAsync(order.Buyer, new ConfirmResolution(ticketNo));

        Assert.Equal(TicketStatus.Closed, confirmed.Status);
        Assert.Equal("Closed", await _kit.ScalarAsync<string>("SELECT status FROM tickets WHERE no = $1", ticketNo));
        // Still rateable once closed.
        var rated = await _kit.SendAsync(order.Buyer, new RateTicket(ticketNo, 4, null));
        Assert.Equal(4, rated.Score);
    }

    [Fact]
    public async Task A_rating_of_two_or_less_puts_a_follow_up_task_on_the_supervisors_list()
    {
        var supervisor = await TestAccounts.CreateAsync(_kit.App, ShopRoles.Supervisor);
        var order = await _kit.BuyerWithOrderAsync();
        var ticketNo = await _kit.FileAsync(order);
        await _kit.ResolveAsync(ticketNo);

        await _kit.SendAsync(order.Buyer, new RateTicket(ticketNo, 2, "Took two days."));

        Assert.Equal(1L, await _kit.CountAsync(
            "SELECT count(*) FROM follow_up_tasks f JOIN tickets t ON t.id = f.ticket_id WHERE t.no = $1 AND f.reason = 'low_rating' AND f.done_at IS NULL", ticketNo));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'TicketLowRating' AND link = $2",
            supervisor.UserId, $"/Admin/Tickets/{ticketNo}"));
        Assert.Contains("rated", await EventKindsAsync(ticketNo));
    }

    [Fact]
    public async Task Evidence_is_served_to_its_buyer_and_to_staff_but_not_to_another_buyer_and_an_internal_image_not_even_to_its_buyer()
    {
        var order = await _kit.BuyerWithOrderAsync();
        var stranger = await _kit.BuyerWithOrderAsync();
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        var ticketNo = await _kit.FileAsync(order);
        await _kit.SendAsync(order.Buyer, new ReplyToTicket(ticketNo, "", [new EvidenceUpload("shot.png", TicketTestKit.Png(100))]));
        var imageId = await _kit.ScalarAsync<Guid>("SELECT a.id FROM ticket_attachments a JOIN tickets t ON t.id = a.ticket_id WHERE t.no = $1", ticketNo);
        var internalImage = await _kit.AddInternalNoteAsync(ticketNo, "Proof from the supplier portal", agent.UserId);

        var mine = await _kit.SendAsync(order.Buyer, new GetTicketAttachment(ticketNo, imageId));
        Assert.Equal("image/png", mine.ContentType);
        Assert.Equal("shot.png", mine.FileName);
        Assert.Equal(100, mine.Content.Length);
        Assert.Equal(100, (await _kit.SendAsync(agent, new GetTicketAttachment(ticketNo, imageId))).Content.Length);
        Assert.Equal(64, (await _kit.SendAsync(agent, new GetTicketAttachment(ticketNo, internalImage))).Content.Length);

        await Assert.ThrowsAsync<NotFoundException>(() => _kit.SendAsync(stranger.Buyer, new GetTicketAttachment(ticketNo, imageId)));
        await Assert.ThrowsAsync<NotFoundException>(() => _kit.SendAsync(order.Buyer, new GetTicketAttachment(ticketNo, internalImage)));
        // The right image under the wrong ticket number is not found either.
        var otherTicket = await _kit.FileAsync(stranger);
        await Assert.ThrowsAsync<NotFoundException>(() => _kit.SendAsync(agent, new GetTicketAttachment(otherTicket, imageId)));

        // The buyer's view lists the public image only.
        var view = await _kit.SendAsync(order.Buyer, new GetMyTicket(ticketNo));
        Assert.Equal([imageId], view.Attachments.Select(a => a.AttachmentId).ToList());
        Assert.DoesNotContain(view.Messages, m => m.Body.Contains("supplier portal", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_resellers_bulk_ticket_covers_their_own_keys_and_reports_every_other_line()
    {
        var sku = (await _kit.Shop.ProductWithKeysAsync(8, price: 10.00m)).Sku;
        var reseller = await _kit.PersonAsync(ShopRoles.Reseller, 200.00m);
        var first = await _kit.BuyAsync(reseller, sku, 2);
        var second = await _kit.BuyAsync(reseller, sku, 1);
        var rival = await _kit.PersonAsync(ShopRoles.Reseller, 200.00m);
        var rivals = await _kit.BuyAsync(rival, sku, 1);
        var before = await _kit.TicketRowsAsync();

        // Line 1 a header, 2 a plain code, 3 a CSV row (lower case, dashes), 4 blank, 5 TXT download style,
        // 6 another reseller's key, 7 made up, 8 a repeat.
        var lines = string.Join("\r\n",
            "code,secret,expires_at",
            first.Codes[0],
            $"\"{first.Codes[1].ToLowerInvariant()[..6]}-{first.Codes[1].ToLowerInvariant()[6..]}\",S123,2027-01-01",
            "",
            second.Codes[0] + "----SECRET",
            rivals.Codes[0],
            "NOT-A-REAL-CODE",
            first.Codes[0]);

        var filed = await _kit.SendAsync(reseller,
            new FileBulkTicket(lines, TicketCategory.KeyAlreadyUsed, "This batch says already used.", null, []));

        Assert.Equal(3, filed.Matched);
        Assert.Equal([6, 7, 8], filed.Unmatched.Select(u => u.Line).ToList());
        Assert.Equal("This code is not on any of your orders", filed.Unmatched[0].Reason);
        Assert.Equal("Same code as an earlier line", filed.Unmatched[2].Reason);
        Assert.Equal(TicketPriority.High, filed.Ticket.Priority);
        var no = filed.Ticket.TicketNo;
        Assert.True(await _kit.ScalarAsync<bool>("SELECT is_bulk AND order_id IS NULL FROM tickets WHERE no = $1", no));
        var covered = await _kit.CountAsync("SELECT count(*) FROM ticket_items i JOIN tickets t ON t.id = i.ticket_id WHERE t.no = $1 AND i.order_item_id = ANY($2)",
            no, first.ItemIds.Concat(second.ItemIds).ToArray());
        Assert.Equal(3L, covered);
        Assert.Equal(0L, await _kit.CountAsync("SELECT count(*) FROM ticket_items WHERE order_item_id = $1", rivals.ItemIds[0]));
        // The codes themselves are stored nowhere in the ticket.
        foreach (var code in first.Codes.Concat(rivals.Codes))
            Assert.Equal(0L, await _kit.CountAsync("SELECT count(*) FROM ticket_messages WHERE body ILIKE '%' || $1 || '%'", code));

        var view = await _kit.SendAsync(reseller, new GetMyTicket(no));
        Assert.True(view.IsBulk);
        Assert.Equal(3, view.Keys.Count);
        Assert.Equal(before.Tickets + 1, await _kit.CountAsync("SELECT count(*) FROM tickets"));
    }

    [Fact]
    public async Task A_bulk_ticket_matching_nothing_or_from_a_buyer_is_refused_and_stores_nothing()
    {
        var order = await _kit.BuyerWithOrderAsync();
        var reseller = await _kit.PersonAsync(ShopRoles.Reseller, 0m);
        var before = await _kit.TicketRowsAsync();

        var nothing = await Assert.ThrowsAsync<ValidationException>(() => _kit.SendAsync(reseller,
            new FileBulkTicket(order.Codes[0] + "\nGARBAGE", TicketCategory.KeyInvalid, "x", null, [])));
        Assert.Contains(nothing.Errors, e => e.PropertyName == "Lines");
        var buyer = await Assert.ThrowsAsync<DomainRuleException>(() => _kit.SendAsync(order.Buyer,
            new FileBulkTicket(order.Codes[0], TicketCategory.KeyInvalid, "x", null, [])));
        Assert.Equal(ErrorCodes.Forbidden, buyer.Code);

        Assert.Equal(before, await _kit.TicketRowsAsync());
    }

    [Fact]
    public async Task The_new_ticket_form_suggests_the_products_tutorial_and_the_answers_that_fit_the_problem_published_only()
    {
        var order = await _kit.BuyerWithOrderAsync();
        await ArticlesAsync(order.Sku);

        var invalid = await _kit.SendAsync(order.Buyer, new SuggestArticles(order.Sku, TicketCategory.KeyAlreadyUsed));
        Assert.Equal(["tutorial-" + order.Sku.ToLowerInvariant(), "faq-key-invalid"], invalid.Select(a => a.Slug).ToList());
        Assert.Equal("How to redeem", invalid[0].Title);

        var notReceived = await _kit.SendAsync(order.Buyer, new SuggestArticles(order.Sku, TicketCategory.NotReceived));
        Assert.Equal(["tutorial-" + order.Sku.ToLowerInvariant(), "faq-key-not-received"], notReceived.Select(a => a.Slug).ToList());

        // The refund policy is a draft here: not suggested.
        var refund = await _kit.SendAsync(order.Buyer, new SuggestArticles(null, TicketCategory.RefundRequest));
        Assert.Empty(refund);
    }

    private async Task ArticlesAsync(string sku)
    {
        using var scope = _kit.App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ICardMallDb>();
        var admin = await TestAccounts.CreateAsync(_kit.App, ShopRoles.Admin);
        var now = _kit.Clock.GetUtcNow();
        Article Make(string slug, ArticleKind kind, string? productSku, bool published) =>
            new(slug, kind, productSku, new ArticleText("标题 " + slug, "正文。"), new ArticleText(slug.StartsWith("tutorial", StringComparison.Ordinal) ? "How to redeem" : "Answer " + slug, "Body."),
                published, admin.UserId, now);
        if (!db.Articles.Any(a => a.Slug == "faq-key-invalid"))
        {
            db.Articles.Add(Make("faq-key-invalid", ArticleKind.Faq, null, true));
            db.Articles.Add(Make("faq-key-not-received", ArticleKind.Faq, null, true));
            db.Articles.Add(Make("refund-policy", ArticleKind.Policy, null, false));
        }
        db.Articles.Add(Make(Article.TutorialSlugFor(sku), ArticleKind.Tutorial, sku, true));
        await db.SaveChangesAsync();
    }

    private async Task<TestAccount> OnDutyAgentAsync()
    {
        // The only agent on duty with every skill: new tickets in this class's shop go to the newest one of these.
        var agent = await TestAccounts.CreateAsync(_kit.App, ShopRoles.Agent);
        using var scope = _kit.App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ICardMallDb>();
        foreach (var profile in db.AgentProfiles) profile.OnDuty = false;
        db.AgentProfiles.Add(new AgentProfile(agent.UserId, _kit.Clock.GetUtcNow()) { OnDuty = true, Skills = [.. Enum.GetValues<TicketCategory>()] });
        await db.SaveChangesAsync();
        return agent;
    }

    private async Task<List<string>> EventKindsAsync(string ticketNo)
    {
        using var scope = _kit.App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ICardMallDb>();
        return (from e in db.TicketEvents join t in db.Tickets on e.TicketId equals t.Id where t.No == ticketNo orderby e.Id select e.Kind).ToList();
    }
}
