using CardMall.Application.Features.Wallet;
using CardMall.Domain.Wallets;
using CardMall.Web.Errors;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Wallet;

/// <summary>
/// Where the gateway sends the buyer back: the top-up's status. While the payment is being confirmed
/// the page refreshes itself (a Refresh header, no script needed) until the money has arrived, and
/// offers to go back to the gateway for a buyer who left it without paying.
/// </summary>
[Authorize]
public sealed class TopUpModel(IMediator mediator, TimeProvider clock) : PageModel, IReloadsPageData
{
    public const int RefreshSeconds = 3;

    public TopUpView TopUp { get; private set; } = null!;

    public bool Waiting { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (Waiting) Response.Headers["Refresh"] = RefreshSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<IActionResult> OnPostAsync(string topUpNo, CancellationToken cancellationToken)
    {
        var started = await mediator.Send(new ResumeTopUpPayment(topUpNo), cancellationToken);
        return Redirect(started.PayUrl);
    }

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        TopUp = await mediator.Send(new GetTopUp(RouteData.Values["topUpNo"]?.ToString() ?? ""), cancellationToken);
        Waiting = TopUp.Status == TopUpStatus.Pending && clock.GetUtcNow() < TopUp.ExpiresAt;
    }
}
