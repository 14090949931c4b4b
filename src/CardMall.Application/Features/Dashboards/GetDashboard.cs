using CardMall.Application.Abstractions;
using CardMall.Application.Features.Tickets;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Risk;
using CardMall.Domain.Tickets;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CardMall.Application.Features.Dashboards;

/// <summary>
/// The operators' dashboard (闭环管理) for a period of shop days, compared with the period of the same
/// length just before it: sales, after-sales volume and money, how fast and how well the desk answered,
/// where it goes wrong (by product, supplier, category and agent), and what is open right now.
/// <para>
/// How each figure is counted (docs/dashboards.md says the same for operators):
/// orders, revenue and buyers by the order's time; tickets and their clock figures by the ticket's
/// filing time; refunds and compensation by the time they were paid; ratings by the time they were
/// given. Clock figures leave out the time the SLA clock was paused (waiting on the buyer, resolved).
/// A rate with nothing to divide by is null ("—"), never 0.
/// </para>
/// </summary>
public sealed record GetDashboard(DateOnly From, DateOnly To) : IRequest<Dashboard>;

public sealed class GetDashboardValidator : AbstractValidator<GetDashboard>
{
    public GetDashboardValidator() => this.PeriodRules(x => x.From, x => x.To);
}

internal sealed class GetDashboardHandler(ICardMallDb db, ICurrentUser currentUser, TimeProvider clock, IOptions<DashboardOptions> options)
    : IRequestHandler<GetDashboard, Dashboard>
{
    public async Task<Dashboard> Handle(GetDashboard request, CancellationToken ct)
    {
        currentUser.RequireAnyRole(ShopRoles.Operator, ShopRoles.Supervisor, ShopRoles.Admin);
        var now = clock.GetUtcNow();
        var period = new DashboardPeriod(request.From, request.To);
        var figures = new DashboardQueries(db, now);
        var settings = options.Value;

        var current = await figures.HeadlineAsync(period, ct);
        var previous = await figures.HeadlineAsync(period.Previous, ct);
        var shopRate = current.AfterSalesRate;
        bool Flag(int tickets, double? rate) =>
            tickets >= settings.FlagMinTickets && rate is { } r && shopRate is { } s && s > 0 && r >= s * settings.FlagFactor;

        var products = (await figures.ProductsAsync(period, ct)).Select(p => p with { Flagged = Flag(p.Tickets, p.AfterSalesRate) }).ToList();
        var suppliers = (await figures.SuppliersAsync(period, ct)).Select(s => s with { Flagged = Flag(s.Tickets, s.AfterSalesRate) }).ToList();
        var incidents = await db.Incidents.AsNoTracking().Where(i => i.Status != IncidentStatus.Closed).OrderBy(i => i.OpenedAt)
            .Join(db.Suppliers, i => i.SupplierId, s => s.Id, (i, s) => new OpenIncident(i.No, s.Name, i.Reason, i.OpenedAt))
            .ToListAsync(ct);
        var alerts = await db.RiskAlerts.CountAsync(a => a.AcknowledgedAt == null, ct);

        return new Dashboard(period, current, previous, await figures.DailyAsync(period, ct), await figures.CategoriesAsync(period, ct),
            products, suppliers, await figures.AgentsAsync(period, null, ct), await figures.BacklogAsync(ct), incidents, alerts,
            settings.FlagFactor, now);
    }
}

/// <summary>Dashboard settings (configuration section CardMall:Dashboards).</summary>
public sealed class DashboardOptions
{
    public const string Section = "CardMall:Dashboards";

    /// <summary>A product or supplier whose after-sales rate is at least this many times the shop's is flagged for review.</summary>
    public double FlagFactor { get; set; } = 2.0;

    /// <summary>…and has at least this many tickets in the period, so one unlucky ticket on a slow product is not a finding.</summary>
    public int FlagMinTickets { get; set; } = 3;
}

public sealed record Dashboard(
    DashboardPeriod Period, DashboardFigures Current, DashboardFigures Previous, IReadOnlyList<DailyFigures> Daily,
    IReadOnlyList<CategoryFigures> Categories, IReadOnlyList<ProductFigures> Products, IReadOnlyList<SupplierFigures> Suppliers,
    IReadOnlyList<AgentFigures> Agents, BacklogFigures Backlog, IReadOnlyList<OpenIncident> OpenIncidents, int OpenRiskAlerts,
    double FlagFactor, DateTimeOffset AsOf);

/// <summary>The headline figures of one period. Durations are in seconds; rates are shares (0.25 = 25 %).</summary>
public sealed record DashboardFigures(
    int Orders, decimal Revenue, int Buyers, int RepeatBuyers, int Tickets, int Complaints, decimal Refunded, decimal Compensated,
    double? FirstResponseMedian, double? FirstResponseP90, double? ResolutionMedian, double? ResolutionP90,
    int FirstResponseDecided, int FirstResponseMet, int ResolutionDecided, int ResolutionMet,
    int Breached, int Reopened, int Urged, int Rated, double? AverageRating, int RatedFourOrMore)
{
    public double? RepurchaseRate => Share(RepeatBuyers, Buyers);

    public double? AfterSalesRate => Share(Tickets, Orders);

    public double? ComplaintsPerThousandOrders => Orders == 0 ? null : Complaints * 1000.0 / Orders;

    public double? RefundRate => Revenue == 0 ? null : (double)(Refunded / Revenue);

    /// <summary>Answered in time ÷ tickets whose first-response target is decided (answered, or overdue unanswered).</summary>
    public double? FirstResponseCompliance => Share(FirstResponseMet, FirstResponseDecided);

    public double? ResolutionCompliance => Share(ResolutionMet, ResolutionDecided);

    public double? ReopenRate => Share(Reopened, Tickets);

    public double? UrgeRate => Share(Urged, Tickets);

    public double? SatisfiedShare => Share(RatedFourOrMore, Rated);

    internal static double? Share(int part, int whole) => whole == 0 ? null : (double)part / whole;
}

public sealed record DailyFigures(DateOnly Day, int Orders, int Tickets, int FirstResponseDecided, int FirstResponseMet, int Rated, double? AverageRating)
{
    public double? FirstResponseCompliance => DashboardFigures.Share(FirstResponseMet, FirstResponseDecided);
}

public sealed record CategoryFigures(TicketCategory Category, int Tickets, double? Share, double? ResolutionMedian);

public sealed record ProductFigures(string Sku, string Name, string NameEn, int Orders, decimal Revenue, int Tickets, decimal Refunded, bool Flagged)
{
    public double? AfterSalesRate => DashboardFigures.Share(Tickets, Orders);
}

/// <summary>A supplier in the period: keys of its batches sold, tickets about them, key complaints, escalations and its interface.</summary>
public sealed record SupplierFigures(
    string Code, string Name, int KeysSold, int Tickets, int ComplainedKeys, int Escalations, double? EscalationResponseMedian,
    int Calls, int FailedCalls, double? LatencyMedianMs, int OpenIncidents, decimal Liability, bool Flagged)
{
    public double? AfterSalesRate => DashboardFigures.Share(Tickets, KeysSold);

    public double? DefectRate => DashboardFigures.Share(ComplainedKeys, KeysSold);

    public double? ApiErrorRate => DashboardFigures.Share(FailedCalls, Calls);
}

public sealed record AgentFigures(
    Guid AgentId, string Name, int Handled, double? FirstResponseMedian, double? ResolutionMedian, int Rated, double? AverageRating, decimal RefundsIssued);

/// <summary>Tickets still being worked, by how long ago they were filed.</summary>
public sealed record BacklogFigures(int UnderOneDay, int OneToThreeDays, int ThreeToSevenDays, int OverSevenDays)
{
    public int Total => UnderOneDay + OneToThreeDays + ThreeToSevenDays + OverSevenDays;
}

public sealed record OpenIncident(string No, string Supplier, string Reason, DateTimeOffset OpenedAt);

/// <summary>
/// The dashboard's SQL, one statement per table of figures, shared by the operators' dashboard and an
/// agent's own figures. Each statement reads its rows once; the period is always [start, end).
/// </summary>
internal sealed class DashboardQueries(ICardMallDb db, DateTimeOffset now)
{
    private static readonly string[] Complaint = JoinIncidentCategories();
    private static readonly string[] Active = TicketLifecycle.ActiveStatuses.Select(s => s.ToString()).ToArray();
    private const string Refund = nameof(Domain.Tickets.PayoutKind.Refund);
    private const string Compensation = nameof(Domain.Tickets.PayoutKind.Compensation);
    private const string Paid = nameof(Domain.Tickets.PayoutStatus.Paid);
    private const string Zone = "Asia/Shanghai";

    private static string[] JoinIncidentCategories() =>
        Enum.GetValues<TicketCategory>().Where(c => c.IsKeyComplaint()).Select(c => c.ToString()).ToArray();

    public async Task<DashboardFigures> HeadlineAsync(DashboardPeriod p, CancellationToken ct)
    {
        var (s, e) = (p.Start, p.End);
        var sales = await db.Database.SqlQuery<SalesRow>($"""
            SELECT count(*)::int AS "Buyers", coalesce(sum(n), 0)::int AS "Orders", coalesce(sum(revenue), 0) AS "Revenue",
                   (count(*) FILTER (WHERE n >= 2))::int AS "RepeatBuyers"
            FROM (SELECT user_id, count(*) AS n, sum(total) AS revenue
                  FROM orders WHERE created_at >= {s} AND created_at < {e} GROUP BY user_id) b
            """).SingleAsync(ct);
        var tickets = await db.Database.SqlQuery<TicketRow>($"""
            SELECT count(*)::int AS "Tickets",
                   (count(*) FILTER (WHERE category = ANY({Complaint})))::int AS "Complaints",
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY fr) AS "FirstResponseMedian",
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY fr) AS "FirstResponseP90",
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY res) AS "ResolutionMedian",
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY res) AS "ResolutionP90",
                   (count(*) FILTER (WHERE first_responded_at IS NOT NULL OR first_response_due_at < {now}))::int AS "FirstResponseDecided",
                   (count(*) FILTER (WHERE first_responded_at <= first_response_due_at))::int AS "FirstResponseMet",
                   (count(*) FILTER (WHERE resolved_at IS NOT NULL OR (status = ANY({Active}) AND resolution_due_at < {now})))::int AS "ResolutionDecided",
                   (count(*) FILTER (WHERE resolved_at <= resolution_due_at))::int AS "ResolutionMet",
                   (count(*) FILTER (WHERE is_breached))::int AS "Breached",
                   (count(*) FILTER (WHERE reopen_count > 0))::int AS "Reopened",
                   (count(*) FILTER (WHERE urge_count > 0))::int AS "Urged"
            FROM (SELECT t.*, extract(epoch FROM t.first_responded_at - t.first_response_due_at) + t.first_response_target_minutes * 60 AS fr, extract(epoch FROM t.resolved_at - t.created_at) - t.paused_seconds AS res
                  FROM tickets t WHERE created_at >= {s} AND created_at < {e}) t
            """).SingleAsync(ct);
        var money = await db.Database.SqlQuery<MoneyRow>($"""
            SELECT coalesce(sum(amount) FILTER (WHERE kind = {Refund}), 0) AS "Refunded",
                   coalesce(sum(amount) FILTER (WHERE kind = {Compensation}), 0) AS "Compensated"
            FROM payouts WHERE status = {Paid} AND decided_at >= {s} AND decided_at < {e}
            """).SingleAsync(ct);
        var ratings = await db.Database.SqlQuery<RatingRow>($"""
            SELECT count(*)::int AS "Rated", avg(rating)::float8 AS "Average", (count(*) FILTER (WHERE rating >= 4))::int AS "FourOrMore"
            FROM tickets WHERE rated_at >= {s} AND rated_at < {e}
            """).SingleAsync(ct);

        return new DashboardFigures(sales.Orders, sales.Revenue, sales.Buyers, sales.RepeatBuyers, tickets.Tickets, tickets.Complaints,
            money.Refunded, money.Compensated, tickets.FirstResponseMedian, tickets.FirstResponseP90, tickets.ResolutionMedian,
            tickets.ResolutionP90, tickets.FirstResponseDecided, tickets.FirstResponseMet, tickets.ResolutionDecided, tickets.ResolutionMet,
            tickets.Breached, tickets.Reopened, tickets.Urged, ratings.Rated, ratings.Average, ratings.FourOrMore);
    }

    // The clock figures, written out in each statement that needs them (SQL text, not parameters):
    // first response = first_responded_at − first_response_due_at + target: the due time is pushed out by
    // exactly the pauses before the first reply (ADR 0013), so this is filing → reply without them;
    // resolution = resolved_at − created_at − paused_seconds (waiting on the buyer, an earlier resolution).

    public async Task<IReadOnlyList<DailyFigures>> DailyAsync(DashboardPeriod p, CancellationToken ct)
    {
        var (s, e) = (p.Start, p.End);
        var rows = await db.Database.SqlQuery<DailyRow>($"""
            WITH o AS (SELECT (created_at AT TIME ZONE {Zone})::date AS day, count(*)::int AS n
                       FROM orders WHERE created_at >= {s} AND created_at < {e} GROUP BY 1),
                 t AS (SELECT (created_at AT TIME ZONE {Zone})::date AS day, count(*)::int AS n,
                              (count(*) FILTER (WHERE first_responded_at IS NOT NULL OR first_response_due_at < {now}))::int AS decided,
                              (count(*) FILTER (WHERE first_responded_at <= first_response_due_at))::int AS met
                       FROM tickets WHERE created_at >= {s} AND created_at < {e} GROUP BY 1),
                 r AS (SELECT (rated_at AT TIME ZONE {Zone})::date AS day, count(*)::int AS n, avg(rating)::float8 AS average
                       FROM tickets WHERE rated_at >= {s} AND rated_at < {e} GROUP BY 1)
            SELECT d::date AS "Day", coalesce(o.n, 0) AS "Orders", coalesce(t.n, 0) AS "Tickets",
                   coalesce(t.decided, 0) AS "Decided", coalesce(t.met, 0) AS "Met", coalesce(r.n, 0) AS "Rated", r.average AS "Average"
            FROM generate_series({p.From}::date, {p.To}::date, interval '1 day') AS d
            LEFT JOIN o ON o.day = d::date LEFT JOIN t ON t.day = d::date LEFT JOIN r ON r.day = d::date
            ORDER BY 1
            """).ToListAsync(ct);
        return rows.Select(r => new DailyFigures(DateOnly.FromDateTime(r.Day), r.Orders, r.Tickets, r.Decided, r.Met, r.Rated, r.Average)).ToList();
    }

    public async Task<IReadOnlyList<CategoryFigures>> CategoriesAsync(DashboardPeriod p, CancellationToken ct)
    {
        var (s, e) = (p.Start, p.End);
        var rows = await db.Database.SqlQuery<CategoryRow>($"""
            SELECT category AS "Category", count(*)::int AS "Tickets",
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t.resolved_at - t.created_at) - t.paused_seconds) AS "ResolutionMedian"
            FROM tickets t WHERE created_at >= {s} AND created_at < {e} GROUP BY category
            """).ToListAsync(ct);
        var total = rows.Sum(r => r.Tickets);
        return rows.Select(r => new CategoryFigures(Enum.Parse<TicketCategory>(r.Category), r.Tickets, DashboardFigures.Share(r.Tickets, total), r.ResolutionMedian))
            .OrderByDescending(r => r.Tickets).ThenBy(r => r.Category).ToList();
    }

    public async Task<IReadOnlyList<ProductFigures>> ProductsAsync(DashboardPeriod p, CancellationToken ct)
    {
        var (s, e) = (p.Start, p.End);
        var rows = await db.Database.SqlQuery<ProductRow>($"""
            WITH o AS (SELECT product_id, count(*)::int AS n, sum(total) AS revenue
                       FROM orders WHERE created_at >= {s} AND created_at < {e} GROUP BY product_id),
                 t AS (SELECT o.product_id, count(*)::int AS n
                       FROM tickets t JOIN orders o ON o.id = t.order_id
                       WHERE t.created_at >= {s} AND t.created_at < {e} GROUP BY o.product_id),
                 r AS (SELECT o.product_id, sum(p.amount) AS amount
                       FROM payouts p JOIN orders o ON o.id = p.order_id
                       WHERE p.kind = {Refund} AND p.status = {Paid} AND p.decided_at >= {s} AND p.decided_at < {e} GROUP BY o.product_id)
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
        var (s, e) = (p.Start, p.End);
        var healthSince = now - TimeSpan.FromDays(7);
        var rows = await db.Database.SqlQuery<SupplierRow>($"""
            WITH sold AS (SELECT b.supplier_id, count(*)::int AS n
                          FROM card_keys k JOIN key_batches b ON b.id = k.batch_id
                          WHERE k.sold_at >= {s} AND k.sold_at < {e} GROUP BY b.supplier_id),
                 on_keys AS (SELECT DISTINCT b.supplier_id, t.id AS ticket_id, t.category, k.id AS key_id
                             FROM tickets t JOIN ticket_items ti ON ti.ticket_id = t.id
                             JOIN order_items oi ON oi.id = ti.order_item_id JOIN card_keys k ON k.id = oi.card_key_id
                             JOIN key_batches b ON b.id = k.batch_id
                             WHERE t.created_at >= {s} AND t.created_at < {e}),
                 tk AS (SELECT supplier_id, count(DISTINCT ticket_id)::int AS n,
                               (count(DISTINCT key_id) FILTER (WHERE category = ANY({Complaint})))::int AS complained
                        FROM on_keys GROUP BY supplier_id),
                 esc AS (SELECT b.supplier_id, count(DISTINCT c.id)::int AS n,
                                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.replied_at - c.opened_at)) AS response
                         FROM supplier_cases c JOIN ticket_items ti ON ti.ticket_id = c.ticket_id
                         JOIN order_items oi ON oi.id = ti.order_item_id JOIN card_keys k ON k.id = oi.card_key_id
                         JOIN key_batches b ON b.id = k.batch_id
                         WHERE c.opened_at >= {s} AND c.opened_at < {e} GROUP BY b.supplier_id),
                 calls AS (SELECT supplier_id, count(*)::int AS n, (count(*) FILTER (WHERE outcome <> 'ok'))::int AS failed,
                                  percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE outcome <> 'circuit_open') AS latency
                           FROM supplier_calls WHERE at >= {healthSince} GROUP BY supplier_id),
                 inc AS (SELECT supplier_id, count(*)::int AS n FROM incidents WHERE status <> 'Closed' GROUP BY supplier_id),
                 owed AS (SELECT supplier_id, sum(amount) AS amount FROM supplier_ledger_entries GROUP BY supplier_id)
            SELECT su.code AS "Code", su.name AS "Name", coalesce(sold.n, 0) AS "KeysSold", coalesce(tk.n, 0) AS "Tickets",
                   coalesce(tk.complained, 0) AS "ComplainedKeys", coalesce(esc.n, 0) AS "Escalations", esc.response AS "EscalationResponse",
                   coalesce(calls.n, 0) AS "Calls", coalesce(calls.failed, 0) AS "FailedCalls", calls.latency AS "Latency",
                   coalesce(inc.n, 0) AS "OpenIncidents", coalesce(owed.amount, 0) AS "Liability"
            FROM suppliers su LEFT JOIN sold ON sold.supplier_id = su.id LEFT JOIN tk ON tk.supplier_id = su.id
            LEFT JOIN esc ON esc.supplier_id = su.id LEFT JOIN calls ON calls.supplier_id = su.id
            LEFT JOIN inc ON inc.supplier_id = su.id LEFT JOIN owed ON owed.supplier_id = su.id
            ORDER BY su.code
            """).ToListAsync(ct);
        return rows.Select(r => new SupplierFigures(r.Code, r.Name, r.KeysSold, r.Tickets, r.ComplainedKeys, r.Escalations, r.EscalationResponse,
            r.Calls, r.FailedCalls, r.Latency, r.OpenIncidents, r.Liability, Flagged: false)).ToList();
    }

    /// <summary>Per agent: tickets filed in the period and assigned to them, their clock figures, ratings, and the refunds they paid.</summary>
    public async Task<IReadOnlyList<AgentFigures>> AgentsAsync(DashboardPeriod p, Guid? onlyAgent, CancellationToken ct)
    {
        var (s, e) = (p.Start, p.End);
        var rows = await db.Database.SqlQuery<AgentRow>($"""
            WITH t AS (SELECT assignee_id, count(*)::int AS n,
                              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t.first_responded_at - t.first_response_due_at) + t.first_response_target_minutes * 60) AS fr,
                              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t.resolved_at - t.created_at) - t.paused_seconds) AS res,
                              count(rating)::int AS rated, avg(rating)::float8 AS rating
                       FROM tickets t WHERE created_at >= {s} AND created_at < {e} AND assignee_id IS NOT NULL GROUP BY assignee_id),
                 r AS (SELECT requested_by, sum(amount) AS amount FROM payouts
                       WHERE kind = {Refund} AND status = {Paid} AND decided_at >= {s} AND decided_at < {e} GROUP BY requested_by)
            SELECT u.id AS "AgentId", coalesce(nullif(u.display_name, ''), u.email) AS "Name", coalesce(t.n, 0) AS "Handled",
                   t.fr AS "FirstResponse", t.res AS "Resolution", coalesce(t.rated, 0) AS "Rated", t.rating AS "Rating",
                   coalesce(r.amount, 0) AS "Refunds"
            FROM users u LEFT JOIN t ON t.assignee_id = u.id LEFT JOIN r ON r.requested_by = u.id
            WHERE (t.n IS NOT NULL OR r.amount IS NOT NULL) AND ({onlyAgent}::uuid IS NULL OR u.id = {onlyAgent})
            ORDER BY coalesce(t.n, 0) DESC, 2
            """).ToListAsync(ct);
        return rows.Select(r => new AgentFigures(r.AgentId, r.Name, r.Handled, r.FirstResponse, r.Resolution, r.Rated, r.Rating, r.Refunds)).ToList();
    }

    public async Task<BacklogFigures> BacklogAsync(CancellationToken ct)
    {
        var row = await db.Database.SqlQuery<BacklogRow>($"""
            SELECT (count(*) FILTER (WHERE created_at > {now - TimeSpan.FromDays(1)}))::int AS "UnderOneDay",
                   (count(*) FILTER (WHERE created_at <= {now - TimeSpan.FromDays(1)} AND created_at > {now - TimeSpan.FromDays(3)}))::int AS "OneToThree",
                   (count(*) FILTER (WHERE created_at <= {now - TimeSpan.FromDays(3)} AND created_at > {now - TimeSpan.FromDays(7)}))::int AS "ThreeToSeven",
                   (count(*) FILTER (WHERE created_at <= {now - TimeSpan.FromDays(7)}))::int AS "OverSeven"
            FROM tickets WHERE status = ANY({Active})
            """).SingleAsync(ct);
        return new BacklogFigures(row.UnderOneDay, row.OneToThree, row.ThreeToSeven, row.OverSeven);
    }

    // Row shapes for SqlQuery: settable properties named as the statements' quoted aliases.
#pragma warning disable CA1812 // instantiated by EF Core
    private sealed class SalesRow { public int Buyers { get; set; } public int Orders { get; set; } public decimal Revenue { get; set; } public int RepeatBuyers { get; set; } }

    private sealed class TicketRow
    {
        public int Tickets { get; set; }
        public int Complaints { get; set; }
        public double? FirstResponseMedian { get; set; }
        public double? FirstResponseP90 { get; set; }
        public double? ResolutionMedian { get; set; }
        public double? ResolutionP90 { get; set; }
        public int FirstResponseDecided { get; set; }
        public int FirstResponseMet { get; set; }
        public int ResolutionDecided { get; set; }
        public int ResolutionMet { get; set; }
        public int Breached { get; set; }
        public int Reopened { get; set; }
        public int Urged { get; set; }
    }

    private sealed class MoneyRow { public decimal Refunded { get; set; } public decimal Compensated { get; set; } }

    private sealed class RatingRow { public int Rated { get; set; } public double? Average { get; set; } public int FourOrMore { get; set; } }

    private sealed class DailyRow
    {
        public DateTime Day { get; set; }
        public int Orders { get; set; }
        public int Tickets { get; set; }
        public int Decided { get; set; }
        public int Met { get; set; }
        public int Rated { get; set; }
        public double? Average { get; set; }
    }

    private sealed class CategoryRow { public string Category { get; set; } = ""; public int Tickets { get; set; } public double? ResolutionMedian { get; set; } }

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

    private sealed class AgentRow
    {
        public Guid AgentId { get; set; }
        public string Name { get; set; } = "";
        public int Handled { get; set; }
        public double? FirstResponse { get; set; }
        public double? Resolution { get; set; }
        public int Rated { get; set; }
        public double? Rating { get; set; }
        public decimal Refunds { get; set; }
    }

    private sealed class BacklogRow { public int UnderOneDay { get; set; } public int OneToThree { get; set; } public int ThreeToSeven { get; set; } public int OverSeven { get; set; } }
#pragma warning restore CA1812
}
