using CardMall.Application.Abstractions;
using CardMall.Application.Features.Risk;
using CardMall.Domain.Risk;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Admin.Incidents;

/// <summary>Batch incidents, newest first, filterable by status (?status=Open); each row leads to its incident page.</summary>
[Authorize(Roles = IncidentDisplay.ReaderRoles)]
public sealed class IndexModel(IMediator mediator) : PageModel
{
    public Paged<IncidentRow> Incidents { get; private set; } = new([], 1, 50, 0);

    public IncidentStatus? Status { get; private set; }

    public async Task OnGetAsync(string? status, int pageNo = 1, CancellationToken ct = default)
    {
        // An unknown status in the address shows all incidents rather than an error.
        Status = Enum.TryParse<IncidentStatus>(status, ignoreCase: true, out var s) && Enum.IsDefined(s) ? s : null;
        Incidents = await mediator.Send(new ListIncidents(Status, Math.Clamp(pageNo, 1, 100_000)), ct);
    }
}
