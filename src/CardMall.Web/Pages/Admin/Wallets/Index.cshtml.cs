using CardMall.Application.Features.Wallet;
using CardMall.Web.Errors;
using CardMall.Web.Hosting;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Admin.Wallets;

/// <summary>
/// An operator finds a customer by e-mail, reads their balance and ledger, and adjusts the balance up
/// or down with a reason; the ledger line keeps the operator and the reason for good. Above the four-eyes
/// amount the adjustment waits in the list at the top until a second Operator or Admin approves or rejects it.
/// </summary>
[Authorize(Policy = ShopWeb.OperatorPolicy)]
public sealed class IndexModel(IMediator mediator) : PageModel, IReloadsPageData
{
    [BindProperty]
    public AdjustmentInput Input { get; set; } = new();

    /// <summary>The e-mail in the look-up box (?email=).</summary>
    public string? Email { get; private set; }

    public WalletAccount? Account { get; private set; }

    public IReadOnlyList<PendingAdjustment> Pending { get; private set; } = [];

    [TempData]
    public string? Adjusted { get; set; }

    /// <summary>The amount of an adjustment that now waits for a second person.</summary>
    [TempData]
    public string? AwaitingApproval { get; set; }

    /// <summary>approved or rejected, after a decision on a waiting adjustment.</summary>
    [TempData]
    public string? Decided { get; set; }

    public async Task OnGetAsync(string? email, CancellationToken ct)
    {
        Email = email?.Trim();
        if (!string.IsNullOrEmpty(Email))
            Account = await mediator.Send(new FindWalletAccount(Email), ct);
        Pending = await mediator.Send(new ListPendingAdjustments(), ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Email = Input.Email;
        var outcome = await mediator.Send(new AdjustWallet(Input.UserId, Input.Amount ?? 0, Input.Reason ?? "", Input.RequestKey), ct);
        if (outcome.IsPending)
            AwaitingApproval = CardMall.Web.Pages.Products.ShopDisplay.Yuan(Input.Amount ?? 0);
        else
            Adjusted = CardMall.Web.Pages.Products.ShopDisplay.Yuan(outcome.Balance);
        return RedirectToPage(new { email = Input.Email });
    }

    public async Task<IActionResult> OnPostApproveAsync(Guid adjustmentId, string? email, CancellationToken ct)
    {
        // A refused decision shows the page again with the customer it was opened on.
        Email = Input.Email = email;
        await mediator.Send(new DecideWalletAdjustment(adjustmentId, Approve: true), ct);
        Decided = "approved";
        return RedirectToPage(new { email });
    }

    public async Task<IActionResult> OnPostRejectAsync(Guid adjustmentId, string? email, CancellationToken ct)
    {
        Email = Input.Email = email;
        await mediator.Send(new DecideWalletAdjustment(adjustmentId, Approve: false), ct);
        Decided = "rejected";
        return RedirectToPage(new { email });
    }

    /// <summary>After a refused adjustment or decision: the same customer again, with the form as it was typed.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(Input.Email))
            Account = await mediator.Send(new FindWalletAccount(Input.Email), cancellationToken);
        Pending = await mediator.Send(new ListPendingAdjustments(), cancellationToken);
    }

    public sealed class AdjustmentInput
    {
        public Guid UserId { get; set; }
        public string? Email { get; set; }
        public decimal? Amount { get; set; }
        public string? Reason { get; set; }
        public string? RequestKey { get; set; }
    }
}
