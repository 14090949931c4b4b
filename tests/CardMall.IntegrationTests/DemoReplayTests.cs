using CardMall.Application.Features.Tickets;
using CardMall.Domain.Accounts;
using CardMall.IntegrationTests.Tickets;
using Npgsql;

namespace CardMall.IntegrationTests;

/// <summary>
/// The demo's stories are played through the shop's own commands (decision 0031), so what a newcomer sees on a demo
/// ticket is what the use case does today. A demo shop of its own: the replacement made here must not show up in the
/// history the other demo tests read.
/// </summary>
public sealed class DemoReplayTests(DemoDeskFixture shop) : IClassFixture<DemoDeskFixture>
{
    [Fact]
    public async Task A_key_replaced_in_the_demo_left_what_the_ReplaceKey_command_leaves_for_the_buyer_and_the_desk()
    {
        // 小明's faulty game card, replaced in the demo's story, and a replacement made here through the command.
        var demoTicket = await ScalarAsync<string>("""
            SELECT t.no FROM tickets t JOIN users u ON u.id = t.buyer_id
            WHERE u.email = 'buyer@cardmall.test' AND EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'key_replaced')
            """);
        var kit = new TicketTestKit(shop);
        var filed = await kit.OrderWithTicketAsync(price: 10.00m, quantity: 1, stock: 2);
        var agent = await kit.StaffAsync(ShopRoles.Agent);
        await kit.SendAsync(agent, new ReplaceKey(filed.TicketNo, filed.ItemIds[0]));

        // The timeline, the notices the buyer and staff got and the audit line, all written in the replacement's moment.
        var demo = await TraceOfReplacementAsync(demoTicket);
        Assert.Contains("TicketKeyReplaced", demo, StringComparison.Ordinal);
        Assert.Equal(await TraceOfReplacementAsync(filed.TicketNo), demo);
    }

    private Task<string> TraceOfReplacementAsync(string ticketNo) => ScalarAsync<string>($"""
        SELECT concat_ws(' | ',
            (SELECT string_agg(e.kind || ':' || e.is_public, ',' ORDER BY e.kind, e.is_public) FROM ticket_events e
             WHERE e.ticket_id = t.id AND e.at BETWEEN r.at AND r.at + interval '1 second'),
            (SELECT string_agg(n.kind || ':' || (n.user_id = t.buyer_id), ',' ORDER BY n.kind) FROM notifications n
             WHERE n.created_at BETWEEN r.at AND r.at + interval '1 second'),
            (SELECT string_agg(a.action, ',' ORDER BY a.action) FROM audit_records a
             WHERE a.at BETWEEN r.at AND r.at + interval '1 second'))
        FROM tickets t JOIN ticket_events r ON r.ticket_id = t.id AND r.kind = 'key_replaced'
        WHERE t.no = '{ticketNo}'
        """);

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var conn = new NpgsqlConnection(shop.Database.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}
