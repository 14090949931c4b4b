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
/// given; live chats by the time they started. Clock figures leave out the time the SLA clock was paused (waiting on the buyer, resolved).
/// A rate with nothing to divide by is null ("—"), never 0.
/// </para>
/// </summary>
public sealed record GetDashboard(DateOnly From, DateOnly To) : IRequest<Dashboard>;

public sealed class GetDashboardValidator : AbstractValidator<GetDashboard>
{
    public GetDashboardValidator() => this.PeriodRules(x => x.From, x => x.To);
}

internal sealed class GetDashboardHandler(
    ILagTolerantReads reads, ICurrentUser currentUser, TimeProvider clock, IOptions<DashboardOptions> options, IOptions<Chats.ChatOptions> chatOptions)
    : IRequestHandler<GetDashboard, Dashboard>
{
    public async Task<Dashboard> Handle(GetDashboard request, CancellationToken ct)
    {
        currentUser.RequireAnyRole(ShopRoles.Operator, ShopRoles.Supervisor, ShopRoles.Admin);
        var now = clock.GetUtcNow();
        var period = new DashboardPeriod(request.From, request.To);
        // Figures over days and weeks tolerate seconds of lag: the replica serves them when it may.
        var db = await reads.OpenAsync(ct);
        var figures = await DashboardQueries.OpenAsync(db, now, ct);
        var settings = options.Value;

        var tickets = await figures.TicketsAsync(period, null, ct);
        var target = chatOptions.Value.WaitTarget;
        var current = await figures.HeadlineAsync(period, tickets, ct, target);
        var previous = await figures.HeadlineAsync(period.Previous, await figures.TicketsAsync(period.Previous, null, ct), ct, target);
        var shopRate = current.AfterSalesRate;
        bool Flag(int tickets, double? rate) =>
            tickets >= settings.FlagMinTickets && rate is { } r && shopRate is { } s && s > 0 && r >= s * settings.FlagFactor;

        var products = (await figures.ProductsAsync(period, ct)).Select(p => p with { Flagged = Flag(p.Tickets, p.AfterSalesRate) }).ToList();
        var suppliers = (await figures.SuppliersAsync(period, ct)).Select(s => s with { Flagged = Flag(s.Tickets, s.AfterSalesRate) }).ToList();
        var incidents = await db.Incidents.AsNoTracking().Where(i => i.Status != IncidentStatus.Closed).OrderBy(i => i.OpenedAt)
            .Join(db.Suppliers, i => i.SupplierId, s => s.Id, (i, s) => new OpenIncident(i.No, s.Name, i.Reason, i.OpenedAt))
            .ToListAsync(ct);
        var alerts = await db.RiskAlerts.CountAsync(a => a.AcknowledgedAt == null, ct);

        return new Dashboard(period, current, previous, await figures.DailyAsync(period, tickets, ct), tickets.Categories(),
            products, suppliers, await figures.AgentsAsync(period, tickets, null, ct), await figures.BacklogAsync(ct), incidents, alerts,
            settings.FlagFactor, settings.FlagMinTickets, now);
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

    /// <summary>How often the rollups are rebuilt (the time since their cut is always read live).</summary>
    public TimeSpan RollupInterval { get; set; } = TimeSpan.FromMinutes(10);

    public bool RollupEnabled { get; set; } = true;
}

public sealed record Dashboard(
    DashboardPeriod Period, DashboardFigures Current, DashboardFigures Previous, IReadOnlyList<DailyFigures> Daily,
    IReadOnlyList<CategoryFigures> Categories, IReadOnlyList<ProductFigures> Products, IReadOnlyList<SupplierFigures> Suppliers,
    IReadOnlyList<AgentFigures> Agents, BacklogFigures Backlog, IReadOnlyList<OpenIncident> OpenIncidents, int OpenRiskAlerts,
    double FlagFactor, int FlagMinTickets, DateTimeOffset AsOf);

/// <summary>The headline figures of one period. Durations are in seconds; rates are shares (0.25 = 25 %).</summary>
public sealed record DashboardFigures(
    int Orders, decimal Revenue, int Buyers, int RepeatBuyers, int Tickets, int Complaints, decimal Refunded, decimal Compensated,
    double? FirstResponseMedian, double? FirstResponseP90, double? ResolutionMedian, double? ResolutionP90,
    int FirstResponseDecided, int FirstResponseMet, int ResolutionDecided, int ResolutionMet,
    int Breached, int Reopened, int Urged, int Rated, double? AverageRating, int RatedFourOrMore,
    int AssistantConversations = 0, int AssistantDeflected = 0, int AssistantEscalated = 0, ChatFigures? Chat = null)
{
    /// <summary>Assistant conversations that ended with neither a ticket nor a request for a person ÷ conversations started.</summary>
    public double? DeflectionRate => Share(AssistantDeflected, AssistantConversations);

    /// <summary>Assistant conversations in which the buyer asked for a person ÷ conversations started.</summary>
    public double? EscalationRate => Share(AssistantEscalated, AssistantConversations);

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

