using CardMall.Infrastructure.Payments;
using CardMall.Web.Payments;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace CardMall.Web.Pages.Sandbox;

/// <summary>
/// The sandbox gateway's pay page, <c>/Sandbox/Pay/{tradeNo}</c>: what a buyer sees at Alipay or WeChat
/// Pay, minus the money. Open to anyone holding the (unguessable) address, as a gateway's checkout is;
/// absent (404) when the sandbox is switched off.
/// </summary>
public sealed class PayModel(SandboxCashier cashier, IOptions<SandboxOptions> options, TimeProvider clock) : PageModel
{
    public SandboxPayment Payment { get; private set; } = null!;

    public bool CanPay { get; private set; }

    /// <summary>Set when a pay button was pressed but the payment could no longer be paid.</summary>
    public bool PayRefused { get; private set; }

    public Task<IActionResult> OnGetAsync(string tradeNo, CancellationToken cancellationToken) => ShowAsync(tradeNo, cancellationToken);

    public Task<IActionResult> OnPostPayAsync(string tradeNo, CancellationToken cancellationToken) => PayAsync(tradeNo, loseNotification: false, cancellationToken);

    public Task<IActionResult> OnPostPayLosingNotificationAsync(string tradeNo, CancellationToken cancellationToken) =>
        PayAsync(tradeNo, loseNotification: true, cancellationToken);

    /// <summary>Back to the shop without paying; the top-up stays open until it expires.</summary>
    public async Task<IActionResult> OnPostCancelAsync(string tradeNo, CancellationToken cancellationToken)
    {
        if (!options.Value.IsEnabled) return NotFound();
        var payment = await cashier.FindAsync(tradeNo, cancellationToken);
        return payment is null ? NotFound() : LocalRedirect(payment.ReturnUrl);
    }

    private async Task<IActionResult> PayAsync(string tradeNo, bool loseNotification, CancellationToken cancellationToken)
    {
        if (!options.Value.IsEnabled) return NotFound();
        if (await cashier.PayAsync(tradeNo, loseNotification, cancellationToken))
        {
            var paid = await cashier.FindAsync(tradeNo, cancellationToken);
            return LocalRedirect(paid!.ReturnUrl);
        }
        PayRefused = true;
        return await ShowAsync(tradeNo, cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(string tradeNo, CancellationToken cancellationToken)
    {
        if (!options.Value.IsEnabled) return NotFound();
        var payment = await cashier.FindAsync(tradeNo, cancellationToken);
        if (payment is null) return NotFound();
        Payment = payment;
        CanPay = payment.CanBePaid(clock.GetUtcNow());
        return Page();
    }
}
