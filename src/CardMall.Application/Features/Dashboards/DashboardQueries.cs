using CardMall.Application.Abstractions;
using CardMall.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Dashboards;

/// <summary>
/// The dashboard's SQL, shared by the operators' dashboard and an agent's own figures. Every figure adds two
/// parts: whole days before the rollups' cut (the <c>dashboard_*</c> tables, rebuilt by
/// <see cref="RefreshDashboardRollups"/>) and the time since the cut, read live. The SQL functions
/// <c>dashboard_period_ticket_groups / _product_tickets / _ratings / _sales / _suppliers / _payouts</c> (migrations
/// 0010–0012) do that union; a ticket's clock figures are defined once, in the <c>dashboard_ticket_facts</c>
/// view, for both parts. Ticket figures come from one read per period (<see cref="PeriodTickets"/>). With no
/// rollups yet everything is live: slower, equally right.
/// </summary>
internal sealed class DashboardQueries
{
    private static readonly string[] Active = TicketLifecycle.ActiveStatuses.Select(s => s.ToString()).ToArray();

    private readonly ICardMallDb _db;
    private readonly DateTimeOffset _now;
    private readonly DateTimeOffset? _coveredUntil;

    private DashboardQueries(ICardMallDb db, DateTimeOffset now, DateTimeOffset? coveredUntil) =>
        (_db, _now, _coveredUntil) = (db, now, coveredUntil);

    public static async Task<DashboardQueries> OpenAsync(ICardMallDb db, DateTimeOffset now, CancellationToken ct)
    {
        var covered = await db.Database.SqlQuery<DateTimeOffset>($"SELECT covered_until AS \"Value\" FROM dashboard_rollup_state WHERE id = 1")
            .ToListAsync(ct);
        return new DashboardQueries(db, now, covered.Count == 0 ? null : covered[0]);
    }

    /// <summary>When the rolled-up days in use end, as of this reading (null: no rollup yet).</summary>
    public DateTimeOffset? CoveredUntil => _coveredUntil;

    /// <summary>Where the period's rolled-up days end and its live part begins: a Beijing midnight within the period.</summary>
    private (DateOnly From, DateOnly CutDay, DateTimeOffset Cut, DateTimeOffset Start, DateTimeOffset End) Parts(DashboardPeriod p)
    {
        var cut = _coveredUntil is { } c ? (c < p.Start ? p.Start : c > p.End ? p.End : c) : p.Start;
        return (p.From, DashboardPeriod.Today(cut), cut, p.Start, p.End);
    }

    /// <summary>The period's tickets in one read, grouped by day, category and assignee (only <paramref name="onlyAgent"/>'s when given).</summary>
    public async Task<PeriodTickets> TicketsAsync(DashboardPeriod p, Guid? onlyAgent, CancellationToken ct)
    {
        var (from, cd, c, _, e) = Parts(p);
        var groups = await _db.Database.SqlQuery<PeriodTickets.Group>($"""
            SELECT day AS "Day", category AS "Category", assignee_id AS "AssigneeId", tickets AS "Tickets", complaints AS "Complaints",
                   fr_decided AS "FirstResponseDecided", fr_met AS "FirstResponseMet", res_decided AS "ResolutionDecided",
                   res_met AS "ResolutionMet", breached AS "Breached", reopened AS "Reopened", urged AS "Urged", rated AS "Rated",
                   rating_sum AS "RatingSum", fr AS "PackedFirstResponses", res AS "PackedResolutions"
            FROM dashboard_period_ticket_groups({from}, {cd}, {c}, {e})
            WHERE {onlyAgent}::uuid IS NULL OR assignee_id = {onlyAgent}
            """).ToListAsync(ct);
        return new PeriodTickets(groups);
    }

    /// <summary>The period's headline; with <paramref name="chatTarget"/> (the target time to a person) its live chat figures too.</summary>
    public async Task<DashboardFigures> HeadlineAsync(DashboardPeriod p, PeriodTickets tickets, CancellationToken ct, TimeSpan? chatTarget = null)
    {
        var (from, cd, c, s, e) = Parts(p);
        // Buyers are counted once, at their first order in the period (the one whose previous order is older than
        // the period); repeat buyers at their second (previous-but-one older than the period, minus the first).
        var sales = await _db.Database.SqlQuery<SalesRow>($"""
            WITH live AS (SELECT (SELECT array_agg(b.created_at ORDER BY b.created_at DESC, b.id DESC)
                                  FROM (SELECT x.created_at, x.id FROM orders x
                                        WHERE x.user_id = o.user_id AND (x.created_at, x.id) < (o.created_at, o.id) AND x.status NOT IN ('AwaitingPayment', 'Expired')
                                        ORDER BY x.created_at DESC, x.id DESC LIMIT 2) b) AS before
                          FROM orders o WHERE o.created_at >= {c} AND o.created_at < {e} AND o.status NOT IN ('AwaitingPayment', 'Expired')),
                 counted AS (SELECT nth, orders FROM dashboard_buyer_orders WHERE day >= {from} AND day < {cd} AND before_day < {from}
                             UNION ALL
                             SELECT 1, (count(*) FILTER (WHERE before[1] IS NULL OR before[1] < {s}))::int FROM live
                             UNION ALL
                             SELECT 2, (count(*) FILTER (WHERE before[2] IS NULL OR before[2] < {s}))::int FROM live)
            SELECT (SELECT coalesce(sum(orders), 0)::int FROM dashboard_period_sales({from}, {cd}, {c}, {e})) AS "Orders",
                   (SELECT coalesce(sum(revenue), 0) FROM dashboard_period_sales({from}, {cd}, {c}, {e})) AS "Revenue",
                   (SELECT coalesce(sum(orders), 0)::int FROM counted WHERE nth = 1) AS "Buyers",
                   (SELECT coalesce(sum(orders), 0)::int FROM counted WHERE nth = 2) AS "UpToSecond"
            """).SingleAsync(ct);
        var money = await _db.Database.SqlQuery<MoneyRow>($"""
            SELECT round(coalesce(sum(refunded), 0), 2) AS "Refunded", round(coalesce(sum(compensated), 0), 2) AS "Compensated"
            FROM dashboard_period_payouts({from}, {cd}, {c}, {e})
            """).SingleAsync(ct);
        var ratings = await _db.Database.SqlQuery<RatingRow>($"""
            SELECT coalesce(sum(ratings), 0)::int AS "Rated", (sum(rating * ratings)::float8 / nullif(sum(ratings), 0)) AS "Average",
                   coalesce(sum(ratings) FILTER (WHERE rating >= 4), 0)::int AS "FourOrMore"
            FROM dashboard_period_ratings({from}, {cd}, {c}, {e})
            """).SingleAsync(ct);

        var assistant = await _db.Database.SqlQuery<AssistantRow>($"""
            SELECT count(*)::int AS "Conversations",
                   (count(*) FILTER (WHERE ticket_id IS NULL AND NOT asked_for_human))::int AS "Deflected",
                   (count(*) FILTER (WHERE asked_for_human))::int AS "Escalated"
            FROM assistant_conversations WHERE started_at >= {s} AND started_at < {e}
            """).SingleAsync(ct);

        var (frMedian, frP90) = tickets.FirstResponse();
        var (resMedian, resP90) = tickets.Resolution();
        return new DashboardFigures(sales.Orders, sales.Revenue, sales.Buyers, sales.UpToSecond - sales.Buyers, tickets.Count,
            tickets.Sum(g => g.Complaints), money.Refunded, money.Compensated, frMedian, frP90, resMedian, resP90,
            tickets.Sum(g => g.FirstResponseDecided), tickets.Sum(g => g.FirstResponseMet), tickets.Sum(g => g.ResolutionDecided),
            tickets.Sum(g => g.ResolutionMet), tickets.Sum(g => g.Breached), tickets.Sum(g => g.Reopened), tickets.Sum(g => g.Urged),
            ratings.Rated, ratings.Average, ratings.FourOrMore, assistant.Conversations, assistant.Deflected, assistant.Escalated,
            chatTarget is { } target ? (await PeriodChats.ReadAsync(_db, s, e, target, ct)).Figures(target) : null);
    }

    public async Task<IReadOnlyList<DailyFigures>> DailyAsync(DashboardPeriod p, PeriodTickets tickets, CancellationToken ct)
    {
        var (from, cd, c, _, e) = Parts(p);
        var to = p.To;
        var rows = await _db.Database.SqlQuery<DailyRow>($"""
            WITH o AS (SELECT day, sum(orders)::int AS n FROM dashboard_period_sales({from}, {cd}, {c}, {e}) GROUP BY day),
                 r AS (SELECT day, sum(ratings)::int AS n, sum(rating * ratings)::float8 / sum(ratings) AS average
                       FROM dashboard_period_ratings({from}, {cd}, {c}, {e}) GROUP BY day)
            SELECT d::date AS "Day", coalesce(o.n, 0) AS "Orders", coalesce(r.n, 0) AS "Rated", r.average AS "Average"
            FROM generate_series({from}::date, {to}::date, interval '1 day') AS d
            LEFT JOIN o ON o.day = d::date LEFT JOIN r ON r.day = d::date
            ORDER BY 1
            """).ToListAsync(ct);
        var filed = tickets.ByDay();
        return rows.Select(r => DateOnly.FromDateTime(r.Day) is var day && filed.TryGetValue(day, out var t)
                ? new DailyFigures(day, r.Orders, t.Tickets, t.FirstResponseDecided, t.FirstResponseMet, r.Rated, r.Average)
                : new DailyFigures(day, r.Orders, 0, 0, 0, r.Rated, r.Average))
            .ToList();
    }

    public async Task<IReadOnlyList<ProductFigures>> ProductsAsync(DashboardPeriod p, CancellationToken ct)
    {
        var (from, cd, c, s, e) = Parts(p);
        var rows = await _db.Database.SqlQuery<ProductRow>($"""
            WITH o AS (SELECT product_id, sum(orders)::int AS n, sum(revenue) AS revenue
                       FROM dashboard_period_sales({from}, {cd}, {c}, {e}) GROUP BY product_id),
                 t AS (SELECT product_id, sum(tickets)::int AS n FROM dashboard_period_product_tickets({from}, {cd}, {c}, {e}) GROUP BY product_id),
                 r AS (SELECT product_id, round(sum(refunded), 2) AS amount FROM dashboard_period_payouts({from}, {cd}, {c}, {e})
                       WHERE product_id IS NOT NULL GROUP BY product_id HAVING sum(refunded) > 0)
            SELECT pr.sku AS "Sku", pr.name_zh AS "Name", pr.name_en AS "NameEn", coalesce(o.n, 0) AS "Orders", coalesce(o.revenue, 0) AS "Revenue",
                   coalesce(t.n, 0) AS "Tickets", coalesce(r.amount, 0) AS "Refunded"
            FROM products pr LEFT JOIN o ON o.product_id = pr.id LEFT JOIN t ON t.product_id = pr.id LEFT JOIN r ON r.product_id = pr.id
            WHERE o.n IS NOT NULL OR t.n IS NOT NULL OR r.amount IS NOT NULL
            ORDER BY coalesce(t.n, 0) DESC, pr.sku
            """).ToListAsync(ct);
        return rows.Select(r => new ProductFigures(r.Sku, r.Name, r.NameEn, r.Orders, r.Revenue, r.Tickets, r.Refunded, Flagged: false)).ToList();
    }

    public async Task<IReadOnlyList<SupplierFigures>> SuppliersAsync(DashboardPeriod p, CancellationToken ct)
    {
        var (from, cd, c, s, e) = Parts(p);
        var healthSince = _now - TimeSpan.FromDays(7);
        var rows = await _db.Database.SqlQuery<SupplierRow>($"""
            WITH f AS (SELECT supplier_id, sum(keys_sold)::int AS sold, sum(tickets)::int AS tickets, sum(complained_keys)::int AS complained
                       FROM dashboard_period_suppliers({from}, {cd}, {c}, {e}) GROUP BY supplier_id),
                 esc AS (SELECT supplier_id, count(*)::int AS n,
                                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM replied_at - opened_at)) AS response
                         FROM supplier_cases WHERE opened_at >= {s} AND opened_at < {e} GROUP BY supplier_id),
                 calls AS (SELECT supplier_id, count(*)::int AS n, (count(*) FILTER (WHERE outcome <> 'ok'))::int AS failed,
                                  percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE outcome <> 'circuit_open') AS latency
                           FROM supplier_calls WHERE at >= {healthSince} GROUP BY supplier_id),
                 inc AS (SELECT supplier_id, count(*)::int AS n FROM incidents WHERE status <> 'Closed' GROUP BY supplier_id),
                 owed AS (SELECT supplier_id, sum(amount) AS amount FROM supplier_ledger_entries GROUP BY supplier_id)
            SELECT su.code AS "Code", su.name AS "Name", coalesce(f.sold, 0) AS "KeysSold", coalesce(f.tickets, 0) AS "Tickets",
                   coalesce(f.complained, 0) AS "ComplainedKeys", coalesce(esc.n, 0) AS "Escalations", esc.response AS "EscalationResponse",
                   coalesce(calls.n, 0) AS "Calls", coalesce(calls.failed, 0) AS "FailedCalls", calls.latency AS "Latency",
                   coalesce(inc.n, 0) AS "OpenIncidents", coalesce(owed.amount, 0) AS "Liability"
            FROM suppliers su LEFT JOIN f ON f.supplier_id = su.id LEFT JOIN esc ON esc.supplier_id = su.id
            LEFT JOIN calls ON calls.supplier_id = su.id LEFT JOIN inc ON inc.supplier_id = su.id LEFT JOIN owed ON owed.supplier_id = su.id
            ORDER BY su.code
            """).ToListAsync(ct);
        return rows.Select(r => new SupplierFigures(r.Code, r.Name, r.KeysSold, r.Tickets, r.ComplainedKeys, r.Escalations, r.EscalationResponse,
            r.Calls, r.FailedCalls, r.Latency, r.OpenIncidents, r.Liability, Flagged: false)).ToList();
    }

    /// <summary>Per agent: tickets filed in the period and assigned to them (from <paramref name="tickets"/>), and the refunds they paid.</summary>
    public async Task<IReadOnlyList<AgentFigures>> AgentsAsync(DashboardPeriod p, PeriodTickets tickets, Guid? onlyAgent, CancellationToken ct)
    {
        var (from, cd, c, _, e) = Parts(p);
        var refunds = await _db.Database.SqlQuery<AgentRefundRow>($"""
            SELECT requested_by AS "AgentId", round(sum(refunded), 2) AS "Amount" FROM dashboard_period_payouts({from}, {cd}, {c}, {e})
            WHERE {onlyAgent}::uuid IS NULL OR requested_by = {onlyAgent}
            GROUP BY requested_by HAVING sum(refunded) > 0
            """).ToDictionaryAsync(r => r.AgentId, r => r.Amount, ct);
        var handled = tickets.ByAgent();
        var ids = handled.Keys.Union(refunds.Keys).Where(id => onlyAgent is null || id == onlyAgent).ToList();
        var names = await _db.Users.AsNoTracking().Where(u => ids.Contains(u.Id))
            .Select(u => new { u.Id, Name = u.DisplayName != null && u.DisplayName != "" ? u.DisplayName : u.Email! })
            .ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        return ids.Where(names.ContainsKey)
            .Select(id => (Id: id, T: handled.GetValueOrDefault(id)))
            .Select(a => new AgentFigures(a.Id, names[a.Id], a.T?.Handled ?? 0, a.T?.FirstResponseMedian, a.T?.ResolutionMedian, a.T?.Rated ?? 0,
                a.T?.AverageRating, refunds.GetValueOrDefault(a.Id)))
            .OrderByDescending(a => a.Handled).ThenBy(a => a.Name, StringComparer.Ordinal).ToList();
    }

    public async Task<BacklogFigures> BacklogAsync(CancellationToken ct)
    {
        var (day1, day3, day7) = (_now - TimeSpan.FromDays(1), _now - TimeSpan.FromDays(3), _now - TimeSpan.FromDays(7));
        var row = await _db.Database.SqlQuery<BacklogRow>($"""
            SELECT (count(*) FILTER (WHERE created_at > {day1}))::int AS "UnderOneDay",
                   (count(*) FILTER (WHERE created_at <= {day1} AND created_at > {day3}))::int AS "OneToThree",
                   (count(*) FILTER (WHERE created_at <= {day3} AND created_at > {day7}))::int AS "ThreeToSeven",
                   (count(*) FILTER (WHERE created_at <= {day7}))::int AS "OverSeven"
            FROM tickets WHERE status = ANY({Active})
            """).SingleAsync(ct);
        return new BacklogFigures(row.UnderOneDay, row.OneToThree, row.ThreeToSeven, row.OverSeven);
    }

    // Row shapes for SqlQuery: settable properties named as the statements' quoted aliases.
#pragma warning disable CA1812 // instantiated by EF Core
    private sealed class SalesRow { public int Orders { get; set; } public decimal Revenue { get; set; } public int Buyers { get; set; } public int UpToSecond { get; set; } }

    private sealed class AssistantRow { public int Conversations { get; set; } public int Deflected { get; set; } public int Escalated { get; set; } }

    private sealed class MoneyRow { public decimal Refunded { get; set; } public decimal Compensated { get; set; } }

    private sealed class RatingRow { public int Rated { get; set; } public double? Average { get; set; } public int FourOrMore { get; set; } }

    private sealed class DailyRow { public DateTime Day { get; set; } public int Orders { get; set; } public int Rated { get; set; } public double? Average { get; set; } }

    private sealed class ProductRow
    {
        public string Sku { get; set; } = "";
        public string Name { get; set; } = "";
        public string NameEn { get; set; } = "";
        public int Orders { get; set; }
        public decimal Revenue { get; set; }
        public int Tickets { get; set; }
        public decimal Refunded { get; set; }
    }

    private sealed class SupplierRow
    {
        public string Code { get; set; } = "";
        public string Name { get; set; } = "";
        public int KeysSold { get; set; }
        public int Tickets { get; set; }
        public int ComplainedKeys { get; set; }
        public int Escalations { get; set; }
        public double? EscalationResponse { get; set; }
        public int Calls { get; set; }
        public int FailedCalls { get; set; }
        public double? Latency { get; set; }
        public int OpenIncidents { get; set; }
        public decimal Liability { get; set; }
    }

    private sealed class AgentRefundRow { public Guid AgentId { get; set; } public decimal Amount { get; set; } }

    private sealed class BacklogRow { public int UnderOneDay { get; set; } public int OneToThree { get; set; } public int ThreeToSeven { get; set; } public int OverSeven { get; set; } }
#pragma warning restore CA1812
}
