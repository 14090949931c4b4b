using CardMall.Application.Abstractions;
using CardMall.Application.Features.Payments;
using CardMall.Web.Hosting;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Admin.Gateways;

/// <summary>
/// The payment gateways at /Admin/Gateways: which are switched on and taking payments, the merchant id masked,
/// the notification address to register with the provider, and a "test connection" per gateway. Keys are never shown.
/// </summary>
[Authorize(Policy = ShopWeb.OperatorPolicy)]
public sealed class IndexModel(IMediator mediator) : PageModel
{
    public IReadOnlyList<PaymentGatewayRow> Gateways { get; private set; } = [];

    /// <summary>The gateway just tested and what it answered; null before any test.</summary>
    public (string Code, ConnectionCheck Check)? Tested { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Gateways = await mediator.Send(new ListPaymentGateways(), ct);

    public async Task<IActionResult> OnPostTestAsync(string code, CancellationToken ct)
    {
        Gateways = await mediator.Send(new ListPaymentGateways(), ct);
        if (!Gateways.Any(g => g.Code == code)) return NotFound();
        Tested = (code, await mediator.Send(new TestPaymentGateway(code), ct));
        return Page();
    }
}
