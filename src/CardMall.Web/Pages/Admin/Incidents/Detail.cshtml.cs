using System.Text.Json;
using CardMall.Application.Features.Risk;
using CardMall.Domain.Risk;
using CardMall.Web.Errors;
using CardMall.Web.Localization;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CardMall.Web.Pages.Admin.Incidents;

/// <summary>
/// One incident at /Admin/Incidents/{no}: why it opened, the frozen batch, the affected orders and tickets,
/// the two bulk remedies (each behind a confirmation box, no script needed), what the last press did, the
/// supplier's liability, and closing. Supervisors read it; operators and admins act on it.
/// </summary>
[Authorize(Roles = IncidentDisplay.ReaderRoles)]
public sealed class DetailModel(IMediator mediator, IStringLocalizer<SharedResource> text) : PageModel, IReloadsPageData
{
    [BindProperty]
    public RemedyInput Input { get; set; } = new();

    public string No { get; private set; } = "";

    public IncidentDetail View { get; private set; } = null!;

    /// <summary>The last press's outcome (JSON of <see cref="IncidentRemedyResult"/>), shown once after the redirect.</summary>
    [TempData]
    public string? Result { get; set; }

    [TempData]
    public bool? Closed { get; set; }

    public IncidentRemedyResult? LastResult => Result is null ? null : JsonSerializer.Deserialize<IncidentRemedyResult>(Result);

    /// <summary>Operators and admins apply remedies and close; supervisors only look.</summary>
    public bool CanAct => User.IsInRole(Domain.Accounts.ShopRoles.Operator) || User.IsInRole(Domain.Accounts.ShopRoles.Admin);

    public async Task OnGetAsync(string no, CancellationToken ct)
    {
        No = no;
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostRemedyAsync(string no, CancellationToken ct)
    {
        No = no;
        if (Input.Remedy is not { } remedy || !Enum.IsDefined(remedy))
        {
            ModelState.AddModelError("", text["Incidents.ChooseRemedy"]);
            await LoadAsync(ct);
            return Page();
        }
        // The confirmation box stands in for a script's "are you sure?": one remedy reaches every affected buyer.
        if (!Input.Confirm)
        {
            ModelState.AddModelError("Input.Confirm", text["Incidents.ConfirmRequired"]);
            await LoadAsync(ct);
            return Page();
        }
        var result = await mediator.Send(new ApplyIncidentRemedy(no, remedy), ct);
        Result = JsonSerializer.Serialize(result);
        return RedirectToPage(new { no });
    }

    public async Task<IActionResult> OnPostCloseAsync(string no, CancellationToken ct)
    {
        No = no;
        await mediator.Send(new CloseIncident(no), ct);
        Closed = true;
        return RedirectToPage(new { no });
    }

    public async Task LoadAsync(CancellationToken cancellationToken) =>
        View = await mediator.Send(new GetIncident(No), cancellationToken);

    public sealed class RemedyInput
    {
        public IncidentRemedy? Remedy { get; set; }
        public bool Confirm { get; set; }
    }
}
