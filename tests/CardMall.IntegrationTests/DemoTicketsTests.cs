using CardMall.Application.Features.Tickets;
using CardMall.TestSupport;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CardMall.IntegrationTests;

/// <summary>The demo shop whose after-sales history is seeded on start (CardMall:Demo:Seed).</summary>
public sealed class DemoDeskFixture : ShopFixture
{
    /// <summary>Taken before the shop started: everything the demo history holds lies before it.</summary>
    public DateTimeOffset StartedAt { get; private set; }

    public override Task InitializeAsync()
    {
        StartedAt = DateTimeOffset.UtcNow;
        return base.InitializeAsync();
    }

    protected override ShopFactory CreateFactory(string connectionString) => DemoTicketsTests.DemoApp(connectionString);
}

/// <summary>
/// ./scripts/run.sh seeds a desk to work: agents on and off duty, reply templates, and three weeks of demo
/// tickets on demo orders — in every status, some breached, some rated — whose money and keys add up.
/// </summary>
public sealed class DemoTicketsTests(DemoDeskFixture shop) : IClassFixture<DemoDeskFixture>
{
    [Fact]
    public async Task The_queue_holds_tickets_in_every_status_and_category_some_unassigned_some_breached_some_urged()
    {
        var statuses = await ColumnAsync<string>("SELECT DISTINCT status FROM tickets");
        Assert.Equal(["Closed", "New", "Open", "Resolved", "WaitingOnBuyer", "WaitingOnSupplier"], statuses.Order(StringComparer.Ordinal));
        var categories = await ColumnAsync<string>("SELECT DISTINCT category FROM tickets");
        Assert.Equal(Enum.GetNames<Domain.Tickets.TicketCategory>().Order(StringComparer.Ordinal), categories.Order(StringComparer.Ordinal));
        // The stories are the demo buyers' tickets; the background's everyday customers add their own (DemoDashboardTests).
        Assert.InRange(await ScalarAsync<long>($"SELECT count(*) FROM tickets WHERE {StoryTickets}"), 15, 25);
        Assert.Equal(4, (await ColumnAsync<string>("SELECT DISTINCT priority FROM tickets")).Count);

        // Every agent has work, a couple of tickets wait for anybody, and the first ticket is at most three weeks old.
        var assignees = await ColumnAsync<string>("""
            SELECT DISTINCT u.email FROM tickets t JOIN users u ON u.id = t.assignee_id
            """);
        Assert.Equal(["agent2@cardmall.test", "agent3@cardmall.test", "agent@cardmall.test", "supervisor@cardmall.test"], assignees.Order(StringComparer.Ordinal));
        Assert.InRange(await ScalarAsync<long>("SELECT count(*) FROM tickets WHERE assignee_id IS NULL AND status IN ('New', 'Open')"), 2, 5);
        Assert.InRange(await ScalarAsync<DateTime>($"SELECT min(created_at) FROM tickets WHERE {StoryTickets}"),
            shop.StartedAt.UtcDateTime.AddDays(-22), shop.StartedAt.UtcDateTime.AddDays(-14));

        // Breached tickets are marked as the watcher marks them, with their sla_breached events; urges are counted.
        Assert.True(await ScalarAsync<long>("SELECT count(*) FROM tickets WHERE is_breached AND status IN ('New', 'Open', 'WaitingOnSupplier')") >= 2);
        Assert.Equal(0L, await ScalarAsync<long>("""
            SELECT count(*) FROM tickets t
            WHERE t.is_breached <> EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'sla_breached')
               OR (t.first_response_breached_at IS NOT NULL AND t.first_response_warned_at IS NULL)
               OR (t.resolution_breached_at IS NOT NULL AND t.resolution_warned_at IS NULL)
            """));
        Assert.True(await ScalarAsync<long>("SELECT count(*) FROM tickets WHERE urge_count >= 2") >= 1);
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM tickets WHERE is_bulk AND order_id IS NULL"));
    }

    [Fact]
    public async Task The_stories_notified_their_people_who_saw_it_at_the_time_and_no_email_to_a_demo_address_waits_to_be_sent()
    {
        Assert.True(await ScalarAsync<long>("SELECT count(*) FROM notifications") > 0);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM notifications WHERE read_at IS NULL"));
        Assert.True(await ScalarAsync<long>("SELECT count(*) FROM outgoing_emails") > 0);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM outgoing_emails WHERE sent_at IS NULL AND gave_up_at IS NULL"));
    }

    [Fact]
    public async Task Resolved_tickets_carry_their_outcome_ratings_include_a_5_a_4_and_a_2_with_a_follow_up()
    {
        Assert.Equal(0L, await ScalarAsync<long>("""
            SELECT count(*) FROM tickets
            WHERE status IN ('Resolved', 'Closed') AND (responsibility IS NULL OR root_cause IS NULL OR resolution IS NULL OR resolved_at IS NULL)
            """));
        var ratings = await ColumnAsync<int>("SELECT rating FROM tickets WHERE rating IS NOT NULL");
        Assert.Contains(5, ratings);
        Assert.Contains(4, ratings);
        Assert.Contains(2, ratings);
        // Every score of 2 or less has its supervisor follow-up; one is still open for the demo supervisor.
        Assert.Equal(0L, await ScalarAsync<long>("""
            SELECT count(*) FROM tickets t
            WHERE t.rating <= 2 AND NOT EXISTS (SELECT 1 FROM follow_up_tasks f WHERE f.ticket_id = t.id AND f.reason = 'low_rating')
            """));
        Assert.True(await ScalarAsync<long>("SELECT count(*) FROM follow_up_tasks WHERE done_at IS NULL") >= 1);
        // Rejections say why.
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM tickets WHERE resolution = 'Rejected' AND coalesce(resolution_note, '') = ''"));
    }

    [Fact]
    public async Task Remedies_are_on_record_a_paid_refund_a_refund_waiting_for_approval_a_replacement_and_supplier_cases()
    {
        // Paid refunds raised their orders' refunded amounts and were credited to the wallet on the ticket's number.
        Assert.True(await ScalarAsync<long>("SELECT count(*) FROM payouts WHERE status = 'Paid' AND kind = 'Refund'") >= 1);
        Assert.Equal(0L, await ScalarAsync<long>("""
            SELECT count(*) FROM orders o
            WHERE o.refunded_amount <> coalesce((SELECT sum(p.amount) FROM payouts p WHERE p.order_id = o.id AND p.kind = 'Refund' AND p.status = 'Paid'), 0)
            """));
        Assert.Equal(0L, await ScalarAsync<long>("""
            SELECT count(*) FROM payouts p JOIN tickets t ON t.id = p.ticket_id
            WHERE p.status = 'Paid' AND NOT EXISTS (SELECT 1 FROM ledger_entries e
                WHERE e.user_id = t.buyer_id AND e.kind = 'Refund' AND e.reference = t.no AND e.amount = p.amount)
            """));
        // A refund above the agent's limit waits for somebody else to approve it.
        Assert.True(await ScalarAsync<long>("""
            SELECT count(*) FROM payouts p
            JOIN user_roles ur ON ur.user_id = p.requested_by JOIN roles r ON r.id = ur.role_id AND r.name = 'Agent'
            WHERE p.status = 'Pending' AND p.amount > 200
            """) >= 1);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM payouts WHERE decided_by = requested_by AND status = 'Paid' AND amount > 200"));

        // A replacement: the old key is void, the new item replaces it with a key sold to the same order.
        Assert.True(await ScalarAsync<long>("SELECT count(*) FROM order_items WHERE replaces_item_id IS NOT NULL") >= 1);
        Assert.Equal(0L, await ScalarAsync<long>("""
            SELECT count(*) FROM order_items n
            JOIN order_items o ON o.id = n.replaces_item_id
            JOIN card_keys old ON old.id = o.card_key_id
            JOIN card_keys fresh ON fresh.id = n.card_key_id
            WHERE old.state <> 'Void' OR fresh.state <> 'Sold' OR fresh.order_id <> n.order_id OR n.order_id <> o.order_id
               OR NOT EXISTS (SELECT 1 FROM card_key_events e WHERE e.card_key_id = old.id AND e.kind = 'Voided')
            """));

        // Supplier cases: one still within its due time on a ticket waiting on the supplier, and answered ones.
        Assert.True(await ScalarAsync<long>("""
            SELECT count(*) FROM supplier_cases c JOIN tickets t ON t.id = c.ticket_id
            WHERE c.replied_at IS NULL AND t.status = 'WaitingOnSupplier'
            """) >= 1);
        Assert.True(await ScalarAsync<long>("SELECT count(*) FROM supplier_cases WHERE replied_at IS NOT NULL") >= 1);
    }

    [Fact]
    public async Task Wallets_equal_their_ledgers_read_as_statements_and_no_key_was_sold_twice()
    {
        Assert.Equal(0L, await ScalarAsync<long>("""
            SELECT count(*) FROM wallets w
            WHERE w.balance <> coalesce((SELECT sum(e.amount) FROM ledger_entries e WHERE e.user_id = w.user_id), 0)
            """));
        // In id order each line's balance after is the running sum, and time never goes back.
        Assert.Equal(0L, await ScalarAsync<long>("""
            SELECT count(*) FROM (
                SELECT e.balance_after, e.at,
                       sum(e.amount) OVER (PARTITION BY e.user_id ORDER BY e.id) AS running,
                       lag(e.at) OVER (PARTITION BY e.user_id ORDER BY e.id) AS before
                FROM ledger_entries e) s
            WHERE s.balance_after <> s.running OR s.at < s.before
            """));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM (SELECT card_key_id FROM order_items GROUP BY card_key_id HAVING count(*) > 1) d"));
        Assert.Equal(0L, await ScalarAsync<long>("""
            SELECT count(*) FROM order_items i JOIN card_keys k ON k.id = i.card_key_id
            WHERE k.order_id <> i.order_id OR k.state = 'Available' OR k.sold_at > i.created_at
            """));
        // The demo buyers bought something, and the money they started with still buys more.
        var balances = await ColumnAsync<decimal>("""
            SELECT w.balance FROM wallets w JOIN users u ON u.id = w.user_id
            WHERE u.email IN ('buyer@cardmall.test', 'vip@cardmall.test', 'reseller@cardmall.test')
            """);
        Assert.Equal(3, balances.Count);
        Assert.All(balances, b => Assert.InRange(b, 300m, 4000m));
    }

    [Fact]
    public async Task The_desk_has_agents_with_skills_one_off_duty_and_active_templates_with_placeholders()
    {
        var desk = await RowsAsync("""
            SELECT u.email, a.on_duty, cardinality(a.skills) FROM agent_profiles a JOIN users u ON u.id = a.user_id ORDER BY u.email
            """, r => (Email: r.GetString(0), OnDuty: r.GetBoolean(1), Skills: r.GetInt32(2)));
        Assert.Contains(("agent@cardmall.test", true, 8), desk);
        Assert.Contains(("supervisor@cardmall.test", true, 8), desk);
        Assert.Contains(desk, d => d.Email == "agent2@cardmall.test" && d.OnDuty && d.Skills is > 0 and < 8);
        Assert.Contains(desk, d => d.Email == "agent3@cardmall.test" && !d.OnDuty && d.Skills is > 0 and < 8);

        var templates = await RowsAsync("SELECT body_zh, body_en FROM reply_templates WHERE is_active", r => (Zh: r.GetString(0), En: r.GetString(1)));
        Assert.InRange(templates.Count, 8, 10);
        Assert.All(templates, t => Assert.StartsWith("{buyer}", t.Zh, StringComparison.Ordinal));
        Assert.All(templates, t => Assert.StartsWith("Hello {buyer}", t.En, StringComparison.Ordinal));
        foreach (var placeholder in ReplyPlaceholders.All)
            Assert.Contains(templates, t => t.Zh.Contains(placeholder, StringComparison.Ordinal) && t.En.Contains(placeholder, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_demo_has_answered_rated_chats_and_its_desk_is_away_for_chats_until_somebody_switches_online()
    {
        var chats = await RowsAsync("""
            SELECT u.email, c.status, c.rating, c.accepted_at - c.created_at, c.last_seq, c.ended_at
            FROM chats c JOIN users u ON u.id = c.buyer_id ORDER BY c.created_at
            """, r => (Email: r.GetString(0), Status: r.GetString(1), Rating: r.GetInt32(2), ToPerson: r.GetTimeSpan(3), Messages: r.GetInt32(4), EndedAt: r.GetDateTime(5)));
        Assert.Equal(["buyer@cardmall.test", "vip@cardmall.test"], chats.Select(c => c.Email));
        Assert.All(chats, c => Assert.Equal("Ended", c.Status));
        Assert.All(chats, c => Assert.InRange(c.ToPerson, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)));
        Assert.All(chats, c => Assert.True(c.Messages >= 5));
        Assert.All(chats, c => Assert.True(c.EndedAt < shop.StartedAt.UtcDateTime));
        Assert.Equal([5, 4], chats.Select(c => c.Rating));

        var availability = await RowsAsync("SELECT u.email, a.availability FROM agent_profiles a JOIN users u ON u.id = a.user_id",
            r => (Email: r.GetString(0), Availability: r.GetString(1)));
        Assert.Contains(("agent@cardmall.test", "Away"), availability);
        Assert.Contains(("agent3@cardmall.test", "Offline"), availability);
        Assert.DoesNotContain(availability, a => a.Availability == "Online");
    }

    [Fact]
    public async Task The_history_lies_in_the_past_with_internal_notes_and_the_first_SLA_watcher_pass_has_nothing_left_to_do()
    {
        var before = shop.StartedAt.UtcDateTime;
        Assert.True(await ScalarAsync<DateTime>("SELECT max(at) FROM ticket_events") < before);
        Assert.True(await ScalarAsync<DateTime>("SELECT max(created_at) FROM ticket_messages") < before);
        Assert.True(await ScalarAsync<long>("SELECT count(*) FROM ticket_messages WHERE is_internal") >= 2);
        // The keys of demo orders were imported before they were sold.
        Assert.Equal(0L, await ScalarAsync<long>("""
            SELECT count(*) FROM order_items i JOIN card_keys k ON k.id = i.card_key_id JOIN key_batches b ON b.id = k.batch_id
            WHERE b.imported_at > i.created_at
            """));

        // The app's own watcher runs every 30 s; a pass of ours that meets it running simply tries again.
        SlaWatchPass pass;
        var attempts = 0;
        do
        {
            if (attempts++ > 0) await Task.Delay(200);
            await using var scope = shop.Factory.Services.CreateAsyncScope();
            pass = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new WatchSlas());
        } while (!pass.Ran && attempts < 20);

        Assert.True(pass.Ran);
        Assert.Equal((0, 0, 0, 0), (pass.Warned, pass.Breached, pass.Closed, pass.CheckedIn));
    }

    [Fact]
    public async Task Two_nodes_starting_at_once_seed_the_history_once_and_a_restart_adds_nothing()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var first = DemoApp(db.ConnectionString))
        await using (var second = DemoApp(db.ConnectionString))
            await Task.WhenAll(Task.Run(() => first.Server), Task.Run(() => second.Server));
        var seeded = await CountsAsync(db.ConnectionString);

        await using (var restarted = DemoApp(db.ConnectionString))
            _ = restarted.Server;

        Assert.Equal(seeded, await CountsAsync(db.ConnectionString));
        Assert.Equal(await CountsAsync(shop.Database.ConnectionString), seeded);
    }

    /// <summary>The stories' tickets: those of the demo buyers, reseller included.</summary>
    private const string StoryTickets =
        "buyer_id IN (SELECT id FROM users WHERE email IN ('buyer@cardmall.test', 'vip@cardmall.test', 'reseller@cardmall.test'))";

    internal static ShopFactory DemoApp(string connectionString)
    {
        var app = new ShopFactory(connectionString);
        app.Settings["CardMall:Demo:Seed"] = "true";
        app.Settings["CardMall:Demo:AdminApiKey"] = "cm_demo-tickets-test-key-0123456789abcdef";
        return app;
    }

    private static async Task<string> CountsAsync(string connectionString)
    {
        string[] tables = ["users", "agent_profiles", "reply_templates", "orders", "order_items", "ledger_entries", "tickets", "ticket_items",
            "ticket_messages", "ticket_events", "payouts", "supplier_cases", "follow_up_tasks", "card_key_events", "dedicated_agents"];
        var sql = "SELECT concat_ws(',', " + string.Join(", ", tables.Select(t => $"'{t}=' || (SELECT count(*) FROM {t})")) + ")";
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    private Task<T> ScalarAsync<T>(string sql) => shop.Database.Sql.ScalarAsync<T>(sql);

    private Task<List<T>> ColumnAsync<T>(string sql) => shop.Database.Sql.ColumnAsync<T>(sql);

    private Task<List<T>> RowsAsync<T>(string sql, Func<NpgsqlDataReader, T> read) => shop.Database.Sql.RowsAsync(sql, read);
}
