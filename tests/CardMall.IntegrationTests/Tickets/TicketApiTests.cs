using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CardMall.Application.Features.Tickets;
using CardMall.Domain.Accounts;
using CardMall.Domain.Tickets;
using CardMall.IntegrationTests.Support;

namespace CardMall.IntegrationTests.Tickets;

/// <summary>
/// The ticket rows of the API contract (docs/api.md) against PostgreSQL: filing, reading with the public
/// conversation only, replying, urging and rating — and 404 for somebody else's ticket on every route.
/// </summary>
public sealed class TicketApiTests(TicketShop shop) : IClassFixture<TicketShop>
{
    private readonly TicketTestKit _kit = new(shop);

    [Fact]
    public async Task A_ticket_filed_through_the_api_promises_reply_and_resolution_times_and_reads_back_in_snake_case()
    {
        var order = await _kit.BuyerWithOrderAsync();
        var now = _kit.Clock.GetUtcNow();

        var response = await _kit.PostTicketAsync(order.Account, new
        {
            orderNo = order.OrderNo,
            itemIds = new[] { order.ItemIds[1] },
            category = "activation_failed",
            description = "  Activation fails with error 0x80070005.  ",
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var ticketNo = created.GetProperty("ticketNo").GetString()!;
        Assert.StartsWith("TK", ticketNo, StringComparison.Ordinal);
        Assert.Equal($"/api/v1/tickets/{ticketNo}", response.Headers.Location?.OriginalString);
        Assert.Equal("new", created.GetProperty("status").GetString());
        Assert.Equal("normal", created.GetProperty("priority").GetString());
        Assert.Equal("activation_failed", created.GetProperty("category").GetString());
        // Normal priority: first reply within 4 hours, resolution within 48 (the default SLA policy).
        Assert.Equal(now.AddHours(4), created.GetProperty("firstResponseDueAt").GetDateTimeOffset());
        Assert.Equal(now.AddHours(48), created.GetProperty("resolutionDueAt").GetDateTimeOffset());

        var ticket = await _kit.GetTicketAsync(order.Account, ticketNo);
        Assert.Equal(ticketNo, ticket.GetProperty("ticketNo").GetString());
        Assert.Equal("new", ticket.GetProperty("status").GetString());
        Assert.Equal("activation_failed", ticket.GetProperty("category").GetString());
        // Nothing is decided yet.
        Assert.Equal(JsonValueKind.Null, ticket.GetProperty("responsibility").ValueKind);
        Assert.Equal(JsonValueKind.Null, ticket.GetProperty("rootCause").ValueKind);
        Assert.Equal(JsonValueKind.Null, ticket.GetProperty("resolution").ValueKind);
        var message = Assert.Single(ticket.GetProperty("messages").EnumerateArray());
        Assert.Equal("buyer", message.GetProperty("author").GetString());
        Assert.Equal("Activation fails with error 0x80070005.", message.GetProperty("body").GetString());
        Assert.Contains(ticket.GetProperty("events").EnumerateArray(), e => e.GetProperty("kind").GetString() == "created");
        // The key concerned, masked: enough to tell which one, never the code.
        var key = Assert.Single(ticket.GetProperty("items").EnumerateArray());
        Assert.Equal(order.ItemIds[1], key.GetProperty("itemId").GetGuid());
        var code = order.Codes[1];
        Assert.Equal("****" + code[^4..], key.GetProperty("maskedCode").GetString());
        Assert.DoesNotContain(code, ticket.GetRawText(), StringComparison.OrdinalIgnoreCase);

        // Once decided, the outcome reads in snake_case too.
        await _kit.ResolveAsync(ticketNo);
        var resolved = await _kit.GetTicketAsync(order.Account, ticketNo);
        Assert.Equal("resolved", resolved.GetProperty("status").GetString());
        Assert.Equal("supplier", resolved.GetProperty("responsibility").GetString());
        Assert.Equal("key_defective", resolved.GetProperty("rootCause").GetString());
        Assert.Equal("replaced", resolved.GetProperty("resolution").GetString());
    }

    [Fact]
    public async Task A_resellers_ticket_starts_at_high_priority()
    {
        var order = await _kit.BuyerWithOrderAsync(role: ShopRoles.Reseller);

        var response = await _kit.PostTicketAsync(order.Account, new { orderNo = order.OrderNo, itemIds = order.ItemIds, category = "key_already_used", description = "Both keys say already used." });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("high", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("priority").GetString());
    }

    [Fact]
    public async Task Somebody_elses_ticket_is_a_404_on_every_route_and_nothing_changes()
    {
        var a = await _kit.BuyerWithOrderAsync();
        var b = await _kit.BuyerWithOrderAsync();
        var ticketNo = await _kit.FileAsync(a);
        await _kit.ResolveAsync(ticketNo);
        var other = _kit.App.ApiClient(b.Account.ApiKey);

        var responses = new[]
        {
            await other.GetAsync($"/api/v1/tickets/{ticketNo}"),
            await other.PostAsJsonAsync($"/api/v1/tickets/{ticketNo}/messages", new { body = "hello" }),
            await other.PostAsync($"/api/v1/tickets/{ticketNo}/urge", null),
            await other.PostAsJsonAsync($"/api/v1/tickets/{ticketNo}/rating", new { score = 1, comment = "bad" }),
            await other.GetAsync("/api/v1/tickets/TK2000010100000000000"),
        };

        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("not_found", problem.GetProperty("code").GetString());
        }
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.no = $1", ticketNo));
        Assert.Equal(0, await _kit.ScalarAsync<int>("SELECT urge_count FROM tickets WHERE no = $1", ticketNo));
        Assert.Equal(0L, await _kit.CountAsync("SELECT count(*) FROM tickets WHERE no = $1 AND rating IS NOT NULL", ticketNo));
        // And B's list does not show it.
        var list = await other.GetFromJsonAsync<JsonElement>("/api/v1/tickets");
        Assert.Equal(0, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Internal_notes_and_staff_only_events_never_reach_the_buyer_through_the_api()
    {
        var order = await _kit.BuyerWithOrderAsync();
        var ticketNo = await _kit.FileAsync(order);
        var agent = await TestAccounts.CreateAsync(_kit.App, ShopRoles.Agent);
        await _kit.AddInternalNoteAsync(ticketNo, "INTERNAL: buyer looks like a reseller, check batch 17", agent.UserId);
        await _kit.AddAgentReplyAsync(ticketNo, "很抱歉给你带来麻烦，我们正在核实。", agent.UserId);

        var ticket = await _kit.GetTicketAsync(order.Account, ticketNo);

        var raw = ticket.GetRawText();
        Assert.DoesNotContain("INTERNAL", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("internal-detail", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("note_added", raw, StringComparison.Ordinal);
        var authors = ticket.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("author").GetString()).ToList();
        Assert.Equal(["buyer", "agent"], authors);
    }

    [Fact]
    public async Task A_second_urge_within_the_hour_is_429_and_not_counted_after_the_hour_it_counts_and_raises_the_priority()
    {
        var order = await _kit.BuyerWithOrderAsync();
        var ticketNo = await _kit.FileAsync(order);
        var supervisor = await TestAccounts.CreateAsync(_kit.App, ShopRoles.Supervisor);
        var api = _kit.App.ApiClient(order.Account.ApiKey);

        var firstAt = _kit.Clock.GetUtcNow();
        var first = await api.PostAsync($"/api/v1/tickets/{ticketNo}/urge", null);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var urged = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, urged.GetProperty("urgeCount").GetInt32());
        Assert.Equal("normal", urged.GetProperty("priority").GetString());

        _kit.Clock.Advance(TimeSpan.FromMinutes(59));
        var second = await api.PostAsync($"/api/v1/tickets/{ticketNo}/urge", null);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        var problem = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("rate_limited", problem.GetProperty("code").GetString());
        // A client can wait exactly as long as it must: one minute is left of the hour.
        Assert.Equal(TimeSpan.FromSeconds(60), second.Headers.RetryAfter?.Delta);
        // The buyer (zh-CN by default, Asia/Shanghai) is told when the next reminder is possible.
        var next = TimeZoneInfo.ConvertTime(firstAt.AddHours(1), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("每小时可以催一次", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(next, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, (await _kit.GetTicketAsync(order.Account, ticketNo)).GetProperty("urgeCount").GetInt32());
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.no = $1 AND e.kind = 'urged'", ticketNo));

        _kit.Clock.Advance(TimeSpan.FromMinutes(1));
        var third = await api.PostAsync($"/api/v1/tickets/{ticketNo}/urge", null);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        var raised = await third.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, raised.GetProperty("urgeCount").GetInt32());
        Assert.Equal("high", raised.GetProperty("priority").GetString());
        var ticket = await _kit.GetTicketAsync(order.Account, ticketNo);
        Assert.Equal("high", ticket.GetProperty("priority").GetString());
        Assert.Contains(ticket.GetProperty("events").EnumerateArray(), e => e.GetProperty("kind").GetString() == "priority_changed");
        // Supervisors hear that a buyer had to chase twice.
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'TicketUrgedPriorityRaised' AND link = $2",
            supervisor.UserId, $"/Admin/Tickets/{ticketNo}"));
    }

    [Fact]
    public async Task A_rating_is_refused_before_resolution_accepted_once_after_it_and_refused_the_second_time()
    {
        var order = await _kit.BuyerWithOrderAsync();
        var ticketNo = await _kit.FileAsync(order);
        var api = _kit.App.ApiClient(order.Account.ApiKey);
        var url = $"/api/v1/tickets/{ticketNo}/rating";

        var early = await api.PostAsJsonAsync(url, new { score = 5, comment = "fast" });
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal("invalid_state", (await early.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        await _kit.ResolveAsync(ticketNo);
        foreach (var bad in new object[] { new { score = 0 }, new { score = 6 }, new { comment = "no score" } })
        {
            var refused = await api.PostAsJsonAsync(url, bad);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("score", out _));
        }
        var tooLong = await api.PostAsJsonAsync(url, new { score = 4, comment = new string('x', 1001) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.True((await tooLong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("comment", out _));

        var rated = await api.PostAsJsonAsync(url, new { score = 5, comment = "Replaced within minutes, thank you!" });
        Assert.Equal(HttpStatusCode.OK, rated.StatusCode);
        Assert.Equal(5, (await rated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("score").GetInt32());

        var again = await api.PostAsJsonAsync(url, new { score = 1, comment = "changed my mind" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("invalid_state", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(5, await _kit.ScalarAsync<int>("SELECT rating FROM tickets WHERE no = $1", ticketNo));
        Assert.Equal("Replaced within minutes, thank you!", await _kit.ScalarAsync<string>("SELECT rating_comment FROM tickets WHERE no = $1", ticketNo));
        Assert.Equal(0L, await _kit.CountAsync("SELECT count(*) FROM follow_up_tasks f JOIN tickets t ON t.id = f.ticket_id WHERE t.no = $1", ticketNo));
    }

    [Fact]
    public async Task Bad_ticket_input_is_a_400_naming_the_field_and_stores_nothing()
    {
        var order = await _kit.BuyerWithOrderAsync();
        var elsewhere = await _kit.BuyAsync(order.Buyer, order.Sku, 1);
        var before = await _kit.TicketRowsAsync();

        var cases = new (object Body, string Field)[]
        {
            (new { orderNo = order.OrderNo, itemIds = order.ItemIds, category = "broken_key", description = "x" }, "category"),
            (new { orderNo = order.OrderNo, itemIds = order.ItemIds, description = "no category" }, "category"),
            (new { orderNo = order.OrderNo, itemIds = order.ItemIds, category = "3", description = "a number is not a category" }, "category"),
            (new { orderNo = order.OrderNo, itemIds = new[] { elsewhere.ItemIds[0] }, category = "key_invalid", description = "another order's key" }, "itemIds"),
            (new { orderNo = order.OrderNo, itemIds = order.ItemIds, category = "key_invalid", description = "   " }, "description"),
        };
        foreach (var (body, field) in cases)
        {
            var response = await _kit.PostTicketAsync(order.Account, body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), $"errors.{field} expected in {problem}");
            Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
        }

        Assert.Equal(before, await _kit.TicketRowsAsync());
    }

    [Fact]
    public async Task Somebody_elses_or_an_unknown_order_is_a_404_and_stores_nothing()
    {
        var a = await _kit.BuyerWithOrderAsync();
        var b = await _kit.BuyerWithOrderAsync();
        var before = await _kit.TicketRowsAsync();

        var theirs = await _kit.PostTicketAsync(b.Account, new { orderNo = a.OrderNo, itemIds = a.ItemIds, category = "key_invalid", description = "not mine" });
        var unknown = await _kit.PostTicketAsync(b.Account, new { orderNo = "CM20000101000000000", itemIds = Array.Empty<Guid>(), category = "not_received", description = "?" });

        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(before, await _kit.TicketRowsAsync());
    }

    [Fact]
    public async Task A_buyer_replies_through_the_api_and_a_closed_ticket_refuses_replies_with_directions()
    {
        var order = await _kit.BuyerWithOrderAsync();
        var ticketNo = await _kit.FileAsync(order);
        var api = _kit.App.ApiClient(order.Account.ApiKey);

        var reply = await api.PostAsJsonAsync($"/api/v1/tickets/{ticketNo}/messages", new { body = "I also tried on another PC." });
        Assert.Equal(HttpStatusCode.Created, reply.StatusCode);
        var empty = await api.PostAsJsonAsync($"/api/v1/tickets/{ticketNo}/messages", new { body = " " });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.True((await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("body", out _));

        var ticket = await _kit.GetTicketAsync(order.Account, ticketNo);
        Assert.Equal("I also tried on another PC.", ticket.GetProperty("messages")[1].GetProperty("body").GetString());
        Assert.Contains(ticket.GetProperty("events").EnumerateArray(), e => e.GetProperty("kind").GetString() == "buyer_replied");

        await _kit.ResolveAsync(ticketNo);
        await _kit.MoveAsync(ticketNo, TicketStatus.Closed);
        var closed = await api.PostAsJsonAsync($"/api/v1/tickets/{ticketNo}/messages", new { body = "still broken" });
        Assert.Equal(HttpStatusCode.Conflict, closed.StatusCode);
        var problem = await closed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid_state", problem.GetProperty("code").GetString());
        Assert.Contains("重新打开", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("新工单", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(2L, await _kit.CountAsync("SELECT count(*) FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.no = $1", ticketNo));
    }

    [Fact]
    public async Task Timeline_details_that_are_ticket_values_read_in_the_same_snake_case_as_the_ticket_s_fields()
    {
        var order = await _kit.BuyerWithOrderAsync();
        var ticketNo = await _kit.FileAsync(order, "wrong_region");
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        await _kit.SendAsync(agent, new ReplyAsStaff(ticketNo, "Which region is your account in?", TicketStatus.WaitingOnBuyer));
        var api = _kit.App.ApiClient(order.Account.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/tickets/{ticketNo}/urge", null)).StatusCode);
        _kit.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/tickets/{ticketNo}/urge", null)).StatusCode);
        await _kit.SendAsync(agent, new ResolveTicket(ticketNo, Responsibility.Buyer, RootCause.RegionMismatch, TicketResolution.GuidanceGiven, null, null));

        var ticket = await _kit.GetTicketAsync(order.Account, ticketNo);

        List<string> Details(string kind) => ticket.GetProperty("events").EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString() == kind).Select(e => e.GetProperty("detail").GetString() ?? "").ToList();
        Assert.Equal(["wrong_region"], Details("created"));
        Assert.Equal(["waiting_on_buyer", "resolved"], Details("status_changed"));
        Assert.Equal(["high"], Details("priority_changed"));
        Assert.Equal(["guidance_given"], Details("resolved"));
        // The same words as the ticket's own fields.
        Assert.Equal("resolved", ticket.GetProperty("status").GetString());
        Assert.Equal("high", ticket.GetProperty("priority").GetString());
        Assert.Equal("guidance_given", ticket.GetProperty("resolution").GetString());
        // Details that are not ticket values stay as they are: the urge count.
        Assert.Equal(["1", "2"], Details("urged"));
    }

    [Fact]
    public async Task The_ticket_list_shows_my_tickets_newest_first_a_page_at_a_time()
    {
        var order = await _kit.BuyerWithOrderAsync();
        var older = await _kit.FileAsync(order);
        _kit.Clock.Advance(TimeSpan.FromMinutes(5));
        var newer = await _kit.FileAsync(order, "not_received", [order.ItemIds[1]]);

        var list = await _kit.App.ApiClient(order.Account.ApiKey).GetFromJsonAsync<JsonElement>("/api/v1/tickets?page=1");

        Assert.Equal(2, list.GetProperty("total").GetInt32());
        Assert.Equal(1, list.GetProperty("page").GetInt32());
        var numbers = list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("ticketNo").GetString()).ToList();
        Assert.Equal([newer, older], numbers);
        Assert.Equal("not_received", list.GetProperty("items")[0].GetProperty("category").GetString());
        Assert.Equal(order.OrderNo, list.GetProperty("items")[0].GetProperty("orderNo").GetString());
        var beyond = await _kit.App.ApiClient(order.Account.ApiKey).GetFromJsonAsync<JsonElement>("/api/v1/tickets?page=2");
        Assert.Empty(beyond.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task The_openapi_description_lists_the_ticket_routes()
    {
        var doc = await _kit.App.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = doc.GetProperty("paths");

        foreach (var path in new[] { "/api/v1/tickets", "/api/v1/tickets/{ticketNo}", "/api/v1/tickets/{ticketNo}/messages", "/api/v1/tickets/{ticketNo}/urge", "/api/v1/tickets/{ticketNo}/rating" })
            Assert.True(paths.TryGetProperty(path, out _), path);
    }
}
