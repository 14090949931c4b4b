using CardMall.Application.Features.Wallet;
using CardMall.Domain.Wallets;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Wallet;

/// <summary>
/// Where the gateway sends the buyer back: the top-up's status. While the payment is being confirmed
/// the page refreshes itself (a Refresh header, no script needed) until the money has arrived.
/// </summary>
[Authorize]
public sealed class TopUpModel(IMediator mediator, TimeProvider clock) : PageModel
{
    public const int RefreshSeconds = 3;

    public TopUpView TopUp { get; private set; } = null!;

    public bool Waiting { get; private set; }

    public async Task OnGetAsync(string topUpNo, CancellationToken cancellationToken)
    {
        TopUp = await mediator.Send(new GetTopUp(topUpNo), cancellationToken);
        Waiting = TopUp.Status == TopUpStatus.Pending && clock.GetUtcNow() < TopUp.ExpiresAt;
        if (Waiting) Response.Headers["Refresh"] = RefreshSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
