using CardMall.Application.Abstractions;
using CardMall.Domain.Accounts;
using FluentValidation;
using MediatR;

namespace CardMall.Application.Features.Dashboards;

/// <summary>
/// An agent's own figures for a period — the same row the operators' dashboard shows for them, and
/// nobody else's: tickets handled, first-response and resolution medians, ratings, refunds paid.
/// </summary>
public sealed record GetMyPerformance(DateOnly From, DateOnly To) : IRequest<MyPerformance>;

public sealed class GetMyPerformanceValidator : AbstractValidator<GetMyPerformance>
{
    public GetMyPerformanceValidator() => this.PeriodRules(x => x.From, x => x.To);
}

internal sealed class GetMyPerformanceHandler(ILagTolerantReads reads, ICurrentUser currentUser, TimeProvider clock)
    : IRequestHandler<GetMyPerformance, MyPerformance>
{
    public async Task<MyPerformance> Handle(GetMyPerformance request, CancellationToken ct)
    {
        var me = currentUser.RequireAnyRole(ShopRoles.Agent, ShopRoles.Supervisor, ShopRoles.Operator, ShopRoles.Admin);
        var period = new DashboardPeriod(request.From, request.To);
        // Figures over days and weeks tolerate seconds of lag: the replica serves them when it may.
        var db = await reads.OpenAsync(ct);
        var figures = await DashboardQueries.OpenAsync(db, clock.GetUtcNow(), ct);
        var rows = await figures.AgentsAsync(period, await figures.TicketsAsync(period, me, ct), me, ct);
        return new MyPerformance(period, rows.SingleOrDefault());
    }
}

/// <summary><see cref="Figures"/> is null when the agent had no ticket and paid no refund in the period.</summary>
public sealed record MyPerformance(DashboardPeriod Period, AgentFigures? Figures);
