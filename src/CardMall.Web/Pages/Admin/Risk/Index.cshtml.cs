using CardMall.Application.Abstractions;
using CardMall.Application.Features.Risk;
using CardMall.Web.Errors;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Admin.Risk;

/// <summary>
/// /Admin/Risk: the risk alerts (风险提醒) for every staff member — a key tried on many devices, a batch
/// incident, a supplier interface anomaly — newest first, each linked to its ticket, order or incident, and
/// marked as handled here. ?done=true lists the handled ones.
/// </summary>
public sealed class IndexModel(IMediator mediator) : PageModel, IReloadsPageData
{
    public const int PageSize = 30;

    [BindProperty(SupportsGet = true)]
    public bool Done { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNo { get; set; } = 1;

    public Paged<RiskAlertView> Alerts { get; private set; } = new([], 1, PageSize, 0);

    [TempData]
    public bool Acknowledged { get; set; }

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostAcknowledgeAsync(Guid alertId, CancellationToken ct)
    {
        await mediator.Send(new AcknowledgeRiskAlert(alertId), ct);
        Acknowledged = true;
        return RedirectToPage(new { done = Done ? (bool?)true : null, p = PageNo > 1 ? (int?)PageNo : null });
    }

    public async Task LoadAsync(CancellationToken cancellationToken) =>
        Alerts = await mediator.Send(new ListRiskAlerts(Done, Math.Max(1, PageNo), PageSize), cancellationToken);
}
