using CardMall.Application.Features.Tickets;
using CardMall.Domain.Accounts;
using CardMall.Domain.Tickets;
using CardMall.Web.Errors;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Admin.Sla;

/// <summary>
/// /Admin/Sla: supervisors set the first-response and resolution targets per priority. The page says
/// plainly that a change applies to tickets filed afterwards; promises already made stay.
/// </summary>
[Authorize(Roles = ShopRoles.Supervisor + "," + ShopRoles.Admin)]
public sealed class IndexModel(IMediator mediator) : PageModel, IReloadsPageData
{
    [BindProperty]
    public PolicyInput Input { get; set; } = new();

    public IReadOnlyList<SlaPolicyView> Policies { get; private set; } = [];

    [TempData]
    public string? Saved { get; set; }

    /// <summary>Set when a posted change was refused: that row shows what was typed and its errors.</summary>
    public TicketPriority? Editing { get; private set; }

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Editing = Input.Priority;
        // A priority that did not bind is sent as an unknown one, for the validator to refuse.
        var policy = await mediator.Send(new ChangeSlaPolicy(Input.Priority ?? (TicketPriority)(-1),
            Input.FirstResponseMinutes ?? 0, Input.ResolutionMinutes ?? 0), ct);
        Saved = policy.Priority.ToString();
        return RedirectToPage();
    }

    public async Task LoadAsync(CancellationToken cancellationToken) => Policies = await mediator.Send(new ListSlaPolicies(), cancellationToken);

    public sealed class PolicyInput
    {
        public TicketPriority? Priority { get; set; }
        public int? FirstResponseMinutes { get; set; }
        public int? ResolutionMinutes { get; set; }
    }
}
