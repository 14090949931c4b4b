using System.Globalization;
using CardMall.Application.Features.Dashboards;
using CardMall.Application.Localization;
using CardMall.Domain.Common;
using FluentValidation;
using FluentValidation.Results;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CardMall.Web.Api;

/// <summary>
/// <c>GET /api/v1/admin/dashboard?from=YYYY-MM-DD&amp;to=YYYY-MM-DD</c>: the operators' dashboard figures as
/// JSON (operators' own reports and the dashboard benchmark). Both dates are Beijing shop days, included;
/// without them, the last 30 days. <c>POST /api/v1/admin/dashboard/rollups</c> rebuilds the rollups at once.
/// </summary>
public static class AdminDashboardApi
{
    public sealed record RollupsRebuilt(DateTimeOffset? CoveredUntil);

    /// <summary><c>code</c> is <c>rollup_running</c>: another node is rebuilding them right now.</summary>
    public sealed record RollupRunning(string Code);

    public static void MapAdminDashboardApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/dashboard", async Task<Ok<Dashboard>> (string? from, string? to, IMediator mediator, TimeProvider clock, CancellationToken ct) =>
        {
            var last30 = DashboardPeriod.Last(30, clock.GetUtcNow());
            var period = new DashboardPeriod(Day(from, "from") ?? last30.From, Day(to, "to") ?? last30.To);
            return TypedResults.Ok(await mediator.Send(new GetDashboard(period.From, period.To), ct));
        })
        .WithName("GetDashboard").WithSummary("The operators' dashboard figures for Beijing days from–to (default: the last 30)").WithTags(ApiDocument.Tag.AdminOperations)
        .Problems(ErrorCodes.ValidationFailed);
        // Rebuild the rollups now instead of at the next background pass (after a bulk import, or to measure it).
        admin.MapPost("/dashboard/rollups", async Task<Results<Ok<RollupsRebuilt>, Conflict<RollupRunning>>> (IMediator mediator, CancellationToken ct) =>
        {
            var refreshed = await mediator.Send(new RefreshDashboardRollups(), ct);
            return refreshed.Ran ? TypedResults.Ok(new RollupsRebuilt(refreshed.CoveredUntil)) : TypedResults.Conflict(new RollupRunning("rollup_running"));
        })
        .WithName("RebuildDashboardRollups").WithSummary("Rebuild the dashboard rollups now").WithTags(ApiDocument.Tag.AdminOperations);
    }

    /// <summary>A date in the query, or null when absent; anything else is a 400 naming the field.</summary>
    internal static DateOnly? Day(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) return day;
        throw new ValidationException([new ValidationFailure(field, AppText.Get("Dashboard.DateInvalid"))]);
    }
}
