using CardMall.Application.Abstractions;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Dashboards;

/// <summary>
/// Rebuilds the dashboard rollups (migrations 0010–0012) for every whole Beijing day before today, in one
/// transaction: readers keep the previous rollups until it commits, then switch to the new cut. A full
/// rebuild rather than an incremental one because tickets keep changing after the day they were filed
/// (answered, resolved, rated, reopened): rebuilding is set-based SQL over the narrow facts and takes seconds
/// on a year of data, and the part since the cut is always read live, so the dashboards are never stale by
/// more than the tickets' changes since the last pass (CardMall:Dashboards:RollupInterval). Two nodes never
/// rebuild at once: the second finds the lock taken and skips.
/// </summary>
public sealed record RefreshDashboardRollups : ICommand<DashboardRollupsRefreshed>;

public sealed record DashboardRollupsRefreshed(bool Ran, DateTimeOffset? CoveredUntil);

internal sealed class RefreshDashboardRollupsHandler(ICardMallDb db, TimeProvider clock)
    : IRequestHandler<RefreshDashboardRollups, DashboardRollupsRefreshed>
{
    /// <summary>Keeps this advisory lock apart from the shop's others.</summary>
    private const long LockKey = 0x44415348; // "DASH"

    public async Task<DashboardRollupsRefreshed> Handle(RefreshDashboardRollups request, CancellationToken ct)
    {
        var locked = await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({LockKey}) AS \"Value\"").SingleAsync(ct);
        if (!locked) return new DashboardRollupsRefreshed(false, null);

        var now = clock.GetUtcNow();
        var cutDay = DashboardPeriod.Today(now);
        var cut = new DashboardPeriod(cutDay, cutDay).Start;
        var database = db.Database;

        await database.ExecuteSqlAsync($"DELETE FROM dashboard_sales", ct);
        await database.ExecuteSqlAsync($"""
            INSERT INTO dashboard_sales (day, product_id, orders, revenue)
            SELECT (created_at AT TIME ZONE 'Asia/Shanghai')::date, product_id, count(*), sum(total)
            FROM orders WHERE created_at < {cut} AND status NOT IN ('AwaitingPayment', 'Expired') GROUP BY 1, 2
            """, ct);

        await database.ExecuteSqlAsync($"DELETE FROM dashboard_buyer_orders", ct);
        await database.ExecuteSqlAsync($"""
            INSERT INTO dashboard_buyer_orders (day, before_day, nth, orders)
            WITH x AS MATERIALIZED (
                SELECT (created_at AT TIME ZONE 'Asia/Shanghai')::date AS day,
                       coalesce((lag(created_at, 1) OVER w AT TIME ZONE 'Asia/Shanghai')::date, '-infinity'::date) AS b1,
                       coalesce((lag(created_at, 2) OVER w AT TIME ZONE 'Asia/Shanghai')::date, '-infinity'::date) AS b2
                FROM orders WHERE created_at < {cut} AND status NOT IN ('AwaitingPayment', 'Expired')
                WINDOW w AS (PARTITION BY user_id ORDER BY created_at, id))
            SELECT day, b1, 1, count(*) FROM x GROUP BY day, b1
            UNION ALL
            SELECT day, b2, 2, count(*) FROM x GROUP BY day, b2
            """, ct);

        await database.ExecuteSqlAsync($"DELETE FROM dashboard_supplier_sales", ct);
        await database.ExecuteSqlAsync($"""
            INSERT INTO dashboard_supplier_sales (day, supplier_id, keys_sold, tickets, complained_keys)
            SELECT day, supplier_id, sum(keys_sold), sum(tickets), sum(complained_keys)
            FROM (SELECT (k.sold_at AT TIME ZONE 'Asia/Shanghai')::date AS day, b.supplier_id, count(*) AS keys_sold, 0 AS tickets, 0 AS complained_keys
                  FROM card_keys k JOIN key_batches b ON b.id = k.batch_id WHERE k.sold_at < {cut} GROUP BY 1, 2
                  UNION ALL
                  SELECT day, supplier_id, 0, count(DISTINCT ticket_id), count(DISTINCT key_id) FILTER (WHERE complaint)
                  FROM dashboard_ticket_keys('-infinity'::timestamptz, {cut}) GROUP BY 1, 2) x
            GROUP BY 1, 2
            """, ct);

        await database.ExecuteSqlAsync($"DELETE FROM dashboard_ticket_groups", ct);
        await database.ExecuteSqlAsync($"INSERT INTO dashboard_ticket_groups SELECT * FROM dashboard_ticket_groups_of('-infinity'::timestamptz, {cut})", ct);

        await database.ExecuteSqlAsync($"DELETE FROM dashboard_product_tickets", ct);
        await database.ExecuteSqlAsync($"INSERT INTO dashboard_product_tickets SELECT * FROM dashboard_product_tickets_of('-infinity'::timestamptz, {cut})", ct);

        await database.ExecuteSqlAsync($"DELETE FROM dashboard_ratings", ct);
        await database.ExecuteSqlAsync($"INSERT INTO dashboard_ratings SELECT * FROM dashboard_ratings_of('-infinity'::timestamptz, {cut})", ct);

        await database.ExecuteSqlAsync($"DELETE FROM dashboard_payouts", ct);
        await database.ExecuteSqlAsync($"""
            INSERT INTO dashboard_payouts (day, product_id, requested_by, refunded, compensated)
            SELECT day, product_id, requested_by, refunded, compensated FROM dashboard_paid_payouts('-infinity'::timestamptz, {cut})
            """, ct);

        // Fresh statistics, or the planner takes a year of rollups for a few rows.
        await database.ExecuteSqlAsync($"""
            ANALYZE dashboard_sales, dashboard_buyer_orders, dashboard_supplier_sales, dashboard_ticket_groups, dashboard_product_tickets,
                    dashboard_payouts, dashboard_ratings
            """, ct);
        await database.ExecuteSqlAsync($"""
            INSERT INTO dashboard_rollup_state (id, covered_until, covered_until_day, refreshed_at) VALUES (1, {cut}, {cutDay}, {now})
            ON CONFLICT (id) DO UPDATE SET covered_until = excluded.covered_until, covered_until_day = excluded.covered_until_day,
                                           refreshed_at = excluded.refreshed_at
            """, ct);
        return new DashboardRollupsRefreshed(true, cut);
    }
}
