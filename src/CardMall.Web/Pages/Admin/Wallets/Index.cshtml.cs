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
/// or down with a reason; the ledger line keeps the operator and the reason for good.
/// </summary>
[Authorize(Policy = ShopWeb.OperatorPolicy)]
public sealed class AdminWalletsModel(IMediator mediator) : PageModel, IReloadsPageData
{
    [BindProperty]
    public AdjustmentInput Input { get; set; } = new();

    /// <summary>The e-mail in the look-up box (?email=).</summary>
    public string? Email { get; private set; }

    public WalletAccount? Account { get; private set; }

    [TempData]
    public string? Adjusted { get; set; }

    public async Task OnGetAsync(string? email, CancellationToken ct)
    {
        Email = email?.Trim();
        if (!string.IsNullOrEmpty(Email))
            Account = await mediator.Send(new FindWalletAccount(Email), ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Email = Input.Email;
        var wallet = await mediator.Send(new AdjustWallet(Input.UserId, Input.Amount ?? 0, Input.Reason ?? "", Input.RequestKey), ct);
        Adjusted = CardMall.Web.Pages.Products.ShopDisplay.Yuan(wallet.Balance);
        return RedirectToPage(new { email = Input.Email });
    }

    /// <summary>After a refused adjustment: the same customer again, with the form as it was typed.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(Input.Email))
            Account = await mediator.Send(new FindWalletAccount(Input.Email), cancellationToken);
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
