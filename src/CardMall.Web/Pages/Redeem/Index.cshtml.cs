using CardMall.Application.Features.Risk;
using CardMall.Application.Localization;
using CardMall.Web.Hosting;
using CardMall.Web.Identity;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Redeem;

/// <summary>
/// /Redeem: a signed-in user redeems a membership code the platform issues (CardMall Plus). Success is shown
/// after a redirect, so a refresh does not try the code again; a refusal is a form error in plain words. The
/// code is never written back into the page, not even into the field after an error.
/// </summary>
[Authorize]
[RateLimitedPost(ShopLimit.Redeem)]
public sealed class IndexModel(IMediator mediator) : PageModel
{
    [BindProperty]
    public RedeemInput Input { get; set; } = new();

    /// <summary>The product just redeemed, shown once after the redirect.</summary>
    [TempData]
    public string? Redeemed { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var redemption = await mediator.Send(new RedeemPlatformCode(Input.Code, DeviceCookie.DeviceId(HttpContext)), ct);
        if (redemption.Outcome == RedemptionOutcome.Redeemed)
        {
            Redeemed = redemption.ProductName;
            return RedirectToPage();
        }
        ModelState.AddModelError("Input.Code", AppText.Get("Redeem." + redemption.Outcome));
        return Page();
    }

    public sealed class RedeemInput
    {
        public string? Code { get; set; }

        public override string ToString() => "RedeemInput(****)";
    }
}
