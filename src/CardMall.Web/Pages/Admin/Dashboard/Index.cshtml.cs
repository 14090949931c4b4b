using CardMall.Application.Features.Dashboards;
using CardMall.Domain.Accounts;
using CardMall.Web.Api;
using CardMall.Web.Localization;
using FluentValidation;
using FluentValidation.Results;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using ShopDashboard = CardMall.Application.Features.Dashboards.Dashboard;

namespace CardMall.Web.Pages.Admin.Dashboard;

/// <summary>
/// /Admin/Dashboard?from=YYYY-MM-DD&amp;to=YYYY-MM-DD (shop days, both included; the last 30 days without
/// them): the operators' dashboard for operators, supervisors and admins; an agent sees only their own
/// figures. ?handler=Csv&amp;table=products|suppliers|categories|agents|daily downloads one table. A date
/// that cannot be read, a reversed or too long period, comes back as an error on the period form.
/// </summary>
public sealed class IndexModel(IMediator mediator, TimeProvider clock, IStringLocalizer<SharedResource> text) : PageModel
{
    /// <summary>The presets offered above the custom range, in days ("today" is 1).</summary>
    public static readonly IReadOnlyList<int> Presets = [1, 7, 30, 90, 365];

    // Dates the shop can have figures for: outside them the period's instants (and the previous period's) do not exist.
    private static readonly DateOnly Earliest = new(2000, 1, 1);
    private static readonly DateOnly Latest = new(2999, 12, 31);

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    /// <summary>The period shown; null when the one asked for was refused.</summary>
    public DashboardPeriod? Period { get; private set; }

    public ShopDashboard? Dashboard { get; private set; }

    public MyPerformance? Mine { get; private set; }

    public MyPerformance? MinePrevious { get; private set; }

    public DateTimeOffset Now { get; } = clock.GetUtcNow();

    /// <summary>Operators, supervisors and admins see the whole shop; anybody else on the staff only themselves.</summary>
    public bool SeesShop => User.IsInRole(ShopRoles.Operator) || User.IsInRole(ShopRoles.Supervisor) || User.IsInRole(ShopRoles.Admin);

    public async Task OnGetAsync(CancellationToken ct)
    {
        // Period is set only once the use case has accepted it: a refused one is not described as "shown".
        var period = Chosen();
        if (SeesShop)
        {
            Dashboard = await mediator.Send(new GetDashboard(period.From, period.To), ct);
        }
        else
        {
            Mine = await mediator.Send(new GetMyPerformance(period.From, period.To), ct);
            MinePrevious = await mediator.Send(new GetMyPerformance(period.Previous.From, period.Previous.To), ct);
        }
        Period = period;
    }

    public async Task<IActionResult> OnGetCsvAsync(string? table, CancellationToken ct)
    {
        if (!SeesShop) return Forbid();
        if (table is null || !DashboardExport.Tables.Contains(table)) return NotFound();
        var period = Chosen();
        var dashboard = await mediator.Send(new GetDashboard(period.From, period.To), ct);
        return File(DashboardExport.Write(table, dashboard, text), DashboardExport.ContentType, DashboardExport.FileName(table, dashboard));
    }

    /// <summary>The period in the address; a date that does not parse or lies outside the shop's years is refused as a field error.</summary>
    private DashboardPeriod Chosen()
    {
        var last30 = DashboardPeriod.Last(30, Now);
        var from = AdminDashboardApi.Day(From, nameof(From)) ?? last30.From;
        var to = AdminDashboardApi.Day(To, nameof(To)) ?? last30.To;
        var failures = new List<ValidationFailure>();
        if (from < Earliest || from > Latest) failures.Add(new ValidationFailure(nameof(From), text["Dashboard.DateOutOfRange"]));
        if (to < Earliest || to > Latest) failures.Add(new ValidationFailure(nameof(To), text["Dashboard.DateOutOfRange"]));
        if (failures.Count > 0) throw new ValidationException(failures);
        return new DashboardPeriod(from, to);
    }
}
