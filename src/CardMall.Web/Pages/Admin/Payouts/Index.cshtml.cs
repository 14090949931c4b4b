using CardMall.Application.Features.Tickets;
using CardMall.Domain.Accounts;
using CardMall.Domain.Tickets;
using CardMall.Web.Errors;
using CardMall.Web.Localization;
using CardMall.Web.Pages.Products;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CardMall.Web.Pages.Admin.Payouts;

/// <summary>
/// The approval queue (待审批退款) at /Admin/Payouts: refunds and compensation waiting above their
/// requester's limit. Supervisors and admins approve (within their own limit) or decline with a note; their
/// own requests are listed without the buttons, because somebody else must decide them.
/// </summary>
[Authorize(Roles = ShopRoles.Supervisor + "," + ShopRoles.Admin)]
public sealed class IndexModel(IMediator mediator, IStringLocalizer<SharedResource> text) : PageModel, IReloadsPageData
{
    [BindProperty]
    public DecisionInput Input { get; set; } = new();

    public PayoutQueue Queue { get; private set; } = null!;

    /// <summary>The request whose decision was just refused; its row shows the errors.</summary>
    public Guid? Posted { get; private set; }

    [TempData]
    public string? Done { get; set; }

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public Task<IActionResult> OnPostApproveAsync(CancellationToken ct) => DecideAsync(approve: true, ct);

    public Task<IActionResult> OnPostDeclineAsync(CancellationToken ct) => DecideAsync(approve: false, ct);

    private async Task<IActionResult> DecideAsync(bool approve, CancellationToken ct)
    {
        Posted = Input.PayoutId;
        var decided = await mediator.Send(new DecidePayout(Input.PayoutId, approve, approve ? null : Input.Note), ct);
        var key = decided.Status == PayoutStatus.Paid ? "Payouts.Done.Approved" : "Payouts.Done.Declined";
        Done = text[key, ShopDisplay.Yuan(decided.Amount), decided.TicketNo];
        return RedirectToPage();
    }

    public async Task LoadAsync(CancellationToken cancellationToken) =>
        Queue = await mediator.Send(new ListPendingPayouts(), cancellationToken);

    public sealed class DecisionInput
    {
        public Guid PayoutId { get; set; }
        public string? Note { get; set; }
    }
}
