using System.Diagnostics;
using System.Net;
using AngleSharp.Html.Dom;
using CardMall.Domain.Accounts;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using Xunit.Abstractions;

namespace CardMall.IntegrationTests.Tickets;

/// <summary>
/// The remedies page and the approval queue as staff use them in a browser: ordinary forms, masked keys,
/// errors in the card that was sent, a double-clicked refund paid once, and approvals by somebody else.
/// </summary>
public sealed class RemedyPageTests(ShopFixture shop, ITestOutputHelper output) : IClassFixture<ShopFixture>
{
    private readonly TicketTestKit _kit = new(shop);

    [Fact]
    public async Task The_remedies_page_shows_the_ticket_with_masked_keys_in_both_languages()
    {
        var (sku, codes) = await _kit.Shop.ProductWithKeysAsync(3, price: 10.00m);
        var t = await _kit.OrderWithTicketAsync(sku: sku, quantity: 1);
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        var boughtCode = await BoughtCodeAsync(t, codes);

        foreach (var (language, heading, limit) in new[] { ("zh-CN", "更换卡密", "¥200.00"), ("en-US", "Replace a key", "¥200.00") })
        {
            using var web = await _kit.SignInAsync(agent, language);
            var page = await web.GetAsync($"/Admin/Tickets/{t.TicketNo}/Remedies");
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.Contains(heading, page.Html);
            Assert.Equal(t.TicketNo, page.Document.QuerySelector("[data-testid=ticket-no]")!.TextContent.Trim());
            Assert.Equal($"/Admin/Tickets/{t.TicketNo}", page.Document.QuerySelector("[data-testid=back-to-ticket]")!.GetAttribute("href"));
            Assert.Equal(limit, page.Document.QuerySelector("[data-testid=my-limit]")!.TextContent.Trim());
            // Masked: ****, then at most the last four — never more of the code.
            Assert.Equal("****" + boughtCode[^4..], page.Document.QuerySelector("[data-testid=masked-code]")!.TextContent.Trim());
            foreach (var code in codes) Assert.DoesNotContain(code, page.Html, StringComparison.OrdinalIgnoreCase);
            // Full refund is prefilled with what is left of the order.
            Assert.Equal("10.00", ((IHtmlInputElement)page.Document.QuerySelector("#refund-amount")!).Value);
        }
        // No supervisor nav entry for an agent, and no remedies page for a ticket that does not exist.
        using var agentWeb = await _kit.SignInAsync(agent, "en-US");
        Assert.Null((await agentWeb.GetAsync($"/Admin/Tickets/{t.TicketNo}/Remedies")).Document.QuerySelector("[data-testid=nav-payouts]"));
        Assert.Equal(HttpStatusCode.NotFound, (await agentWeb.GetAsync("/Admin/Tickets/TK2000010100000000000/Remedies")).Status);
    }

    [Fact]
    public async Task A_refund_form_sent_five_times_at_once_pays_once_and_a_bad_one_shows_its_errors()
    {
        var t = await _kit.OrderWithTicketAsync(price: 10.00m, quantity: 5);
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        var before = await _kit.BalanceAsync(t.Buyer);
        using var web = await _kit.SignInAsync(agent, "en-US");
        var url = $"/Admin/Tickets/{t.TicketNo}/Remedies";

        // The same rendered form (one request key) posted five times concurrently: a frantic double click.
        var page = await web.GetAsync(url);
        var form = (IHtmlFormElement)page.Document.QuerySelector("form[data-testid=refund-form]")!;
        var fields = form.QuerySelectorAll("input[type=hidden]").OfType<IHtmlInputElement>()
            .Select(i => new KeyValuePair<string, string>(i.Name!, i.Value)).ToList();
        fields.Add(new("Input.Amount", "30.00"));
        fields.Add(new("Input.Reason", "Three keys were already used"));
        var action = form.GetAttribute("action")!;
        var clock = Stopwatch.StartNew();
        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(() => web.Client.PostAsync(action, new FormUrlEncodedContent(fields)))));
        output.WriteLine($"5 concurrent refund form posts: {clock.ElapsedMilliseconds} ms");

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM payouts p JOIN tickets t ON t.id = p.ticket_id WHERE t.no = $1", t.TicketNo));
        Assert.Equal(before + 30.00m, await _kit.BalanceAsync(t.Buyer));
        await _kit.AssertWalletsMatchLedgerAsync();
        var done = await web.GetAsync(url);
        Assert.Contains("Refunded ¥30.00", done.Document.QuerySelector("[data-testid=remedy-done]")!.TextContent);
        Assert.Equal("¥30.00", done.Document.QuerySelector("[data-testid=paid-on-ticket]")!.TextContent.Trim());
        Assert.Equal("20.00", ((IHtmlInputElement)done.Document.QuerySelector("#refund-amount")!).Value);

        // No reason and a bad amount: the refund card says why; the other cards stay clean; nothing is paid.
        var refused = await web.SubmitAsync(url, "form[data-testid=refund-form]",
            new Dictionary<string, string> { ["Input.Amount"] = "0", ["Input.Reason"] = "" });
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.NotEmpty(refused.FieldErrors("Input.Amount"));
        Assert.Contains("Write down why", string.Join(" ", refused.FieldErrors("Input.Reason")));
        Assert.Empty(refused.Document.QuerySelectorAll("[data-testid=compensation-card] .invalid-feedback"));

        // More than is left of the order: a page error in the refund card, not a 500.
        var tooMuch = await web.SubmitAsync(url, "form[data-testid=refund-form]",
            new Dictionary<string, string> { ["Input.Amount"] = "25.00", ["Input.Reason"] = "all of it" });
        Assert.Equal(HttpStatusCode.OK, tooMuch.Status);
        Assert.Contains("¥20.00", tooMuch.Document.QuerySelector("[data-testid=refund-card] .validation-summary-errors")!.TextContent);
        Assert.Equal(before + 30.00m, await _kit.BalanceAsync(t.Buyer));
    }

    [Fact]
    public async Task Above_the_limit_a_request_waits_in_the_queue_where_only_somebody_else_approves_it()
    {
        // A ¥3,000 order: compensation and refunds together stay within what the order cost.
        var t = await _kit.OrderWithTicketAsync(price: 300.00m, quantity: 10);
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        var supervisor = await _kit.StaffAsync(ShopRoles.Supervisor);
        var before = await _kit.BalanceAsync(t.Buyer);
        var url = $"/Admin/Tickets/{t.TicketNo}/Remedies";

        using var agentWeb = await _kit.SignInAsync(agent, "en-US");
        var queued = await agentWeb.FollowAsync(await agentWeb.SubmitAsync(url, "form[data-testid=refund-form]",
            new Dictionary<string, string> { ["Input.Amount"] = "250.00", ["Input.Reason"] = "Most of the batch is revoked" }));
        Assert.Contains("waits for approval", queued.Document.QuerySelector("[data-testid=remedy-done]")!.TextContent);
        Assert.Equal("¥250.00", queued.Document.QuerySelector("[data-testid=pending-on-ticket]")!.TextContent.Trim());
        Assert.Equal(before, await _kit.BalanceAsync(t.Buyer));
        // Agents have no approval queue.
        Assert.NotEqual(HttpStatusCode.OK, (await agentWeb.GetAsync("/Admin/Payouts")).Status);

        // The supervisor asks for a ¥2,500 compensation on the same ticket: above their own limit.
        using var web = await _kit.SignInAsync(supervisor, "zh-CN");
        await web.SubmitAsync(url, "form[data-testid=compensation-form]",
            new Dictionary<string, string> { ["Input.Amount"] = "2500", ["Input.Reason"] = "重大事故补偿" });

        var queue = await web.GetAsync("/Admin/Payouts");
        Assert.Equal(HttpStatusCode.OK, queue.Status);
        Assert.NotNull(queue.Document.QuerySelector("[data-testid=nav-payouts]"));
        var rows = queue.Document.QuerySelectorAll("[data-testid=pending-payout]").ToList();
        Assert.Equal(2, rows.Count);
        var own = rows.Single(r => r.QuerySelector("[data-testid=own-request]") is not null);
        Assert.Null(own.QuerySelector("[data-testid=approve-form]"));
        Assert.Null(own.QuerySelector("[data-testid=decline-form]"));
        // The ticket now totals ¥2,750 with both requests: above the supervisor's ¥2,000, so the agent's
        // request offers no approve button either, and says why.
        var agents = rows.Single(r => r != own);
        Assert.Null(agents.QuerySelector("[data-testid=approve-form]"));
        Assert.Contains("¥2,750.00", agents.QuerySelector("[data-testid=why-not]")!.TextContent);
        Assert.NotNull(agents.QuerySelector("[data-testid=decline-form]"));

        // Approving anyway (a hand-made post) is refused on the server, with the reason on the page.
        var decline = (IHtmlFormElement)agents.QuerySelector("form[data-testid=decline-form]")!;
        var hidden = decline.QuerySelectorAll("input[type=hidden]").OfType<IHtmlInputElement>()
            .Select(i => new KeyValuePair<string, string>(i.Name!, i.Value)).ToList();
        var forced = await WebSession.Page.ReadAsync(await web.Client.PostAsync("/Admin/Payouts?handler=Approve", new FormUrlEncodedContent(hidden)));
        Assert.Equal(HttpStatusCode.OK, forced.Status);
        Assert.Contains("¥2,750.00", forced.PageErrors);
        Assert.Equal(before, await _kit.BalanceAsync(t.Buyer));

        // An admin approves both; the queue is empty and the money is in the wallet once.
        var admin = await _kit.StaffAsync(ShopRoles.Admin);
        using var adminWeb = await _kit.SignInAsync(admin, "en-US");
        foreach (var id in rows.Select(r => r.GetAttribute("data-payout-id")))
        {
            var approved = await adminWeb.SubmitAsync("/Admin/Payouts", $"[data-payout-id='{id}'] form[data-testid=approve-form]", new Dictionary<string, string>());
            Assert.Equal(HttpStatusCode.Redirect, approved.Status);
        }
        var empty = await adminWeb.GetAsync("/Admin/Payouts");
        Assert.NotNull(empty.Document.QuerySelector("[data-testid=queue-empty]"));
        Assert.Equal(2, empty.Document.QuerySelectorAll("[data-testid=recent-decisions] tbody tr").Length);
        Assert.Equal(before + 2750.00m, await _kit.BalanceAsync(t.Buyer));
        await _kit.AssertWalletsMatchLedgerAsync();
    }

    [Fact]
    public async Task Declining_needs_a_note_on_the_page()
    {
        var t = await _kit.OrderWithTicketAsync(price: 100.00m, quantity: 3);
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        var supervisor = await _kit.StaffAsync(ShopRoles.Supervisor);
        var request = await _kit.SendAsync(agent, new CardMall.Application.Features.Tickets.IssuePayout(t.TicketNo, CardMall.Domain.Tickets.PayoutKind.Refund, 300.00m, "all", "x"));
        using var web = await _kit.SignInAsync(supervisor, "en-US");
        var form = $"[data-payout-id='{request.PayoutId}'] form[data-testid=decline-form]";

        var refused = await web.SubmitAsync("/Admin/Payouts", form, new Dictionary<string, string> { ["Input.Note"] = "" });
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.NotEmpty(refused.FieldErrors("Input.Note"));
        Assert.Equal("Pending", await _kit.ScalarAsync<string>("SELECT status FROM payouts WHERE id = $1", request.PayoutId));
        var declined = await web.FollowAsync(await web.SubmitAsync("/Admin/Payouts", form,
            new Dictionary<string, string> { ["Input.Note"] = "Verify the keys with the supplier first" }));
        Assert.Contains("Declined", declined.Document.QuerySelector("[data-testid=payout-done]")!.TextContent);
        Assert.Equal("Declined", await _kit.ScalarAsync<string>("SELECT status FROM payouts WHERE id = $1", request.PayoutId));
    }

    [Fact]
    public async Task Buyers_do_not_get_into_the_remedies_page_or_the_queue()
    {
        var t = await _kit.OrderWithTicketAsync(price: 10.00m, quantity: 1, stock: 1);
        using var web = await _kit.SignInAsync(t.Buyer, "en-US");
        Assert.Equal(HttpStatusCode.Redirect, (await web.GetAsync($"/Admin/Tickets/{t.TicketNo}/Remedies")).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await web.GetAsync("/Admin/Payouts")).Status);
    }

    private async Task<string> BoughtCodeAsync(TicketedOrder t, IReadOnlyList<string> codes)
    {
        var order = await shop.Factory.ApiClient(t.Buyer.Account.ApiKey).GetAsync("/api/v1/orders/" + t.OrderNo);
        var body = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(order.Content);
        var code = body.GetProperty("items")[0].GetProperty("code").GetString()!;
        Assert.Contains(code, codes);
        return code;
    }
}
