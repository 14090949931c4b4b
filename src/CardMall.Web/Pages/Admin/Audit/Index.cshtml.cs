using CardMall.Application.Abstractions;
using CardMall.Application.Features.Admin;
using CardMall.Web.Hosting;
using CardMall.Web.Localization;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CardMall.Web.Pages.Admin.Audit;

/// <summary>
/// The audit log (审计日志), Admin only: every staff action on money, keys, roles, users, settings, SLA targets,
/// templates and suppliers, newest first, filtered by actor, action and shop days; the same filter as CSV.
/// </summary>
[Authorize(Policy = ShopWeb.AdminPolicy)]
public sealed class IndexModel(IMediator mediator, IStringLocalizer<SharedResource> text) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Actor { get; set; }

    [BindProperty(SupportsGet = true, Name = "kind")]
    public string? ActionFilter { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public int PageNo { get; set; } = 1;

    public Paged<AuditEntry> Records { get; private set; } = new([], 1, 50, 0);

    public async Task OnGetAsync(CancellationToken ct)
    {
        try
        {
            Records = await mediator.Send(Query(Math.Clamp(PageNo, 1, 100_000), 50), ct);
        }
        catch (FluentValidation.ValidationException refused)
        {
            // A filter that makes no sense (an unknown action, a range ending before it starts) is said on the page.
            foreach (var failure in refused.Errors) ModelState.AddModelError(failure.PropertyName, failure.ErrorMessage);
        }
    }

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        var records = await mediator.Send(Query(1, SearchAuditLog.ExportLimit), ct);
        return File(AuditExport.Write(records.Items, text), AuditExport.ContentType, AuditExport.FileName(DateTimeOffset.UtcNow));
    }

    /// <summary>The filter as links carry it (pager, CSV).</summary>
    public object Route(int? pageNo = null) => new { actor = Actor, kind = ActionFilter, from = From?.ToString("yyyy-MM-dd"), to = To?.ToString("yyyy-MM-dd"), pageNo };

    private SearchAuditLog Query(int page, int size) => new(
        string.IsNullOrWhiteSpace(Actor) ? null : Actor.Trim(), string.IsNullOrWhiteSpace(ActionFilter) ? null : ActionFilter, From, To, page, size);
}
