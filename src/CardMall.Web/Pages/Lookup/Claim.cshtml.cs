using CardMall.Application.Features.Guests;
using CardMall.Web.Hosting;
using CardMall.Web.Localization;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CardMall.Web.Pages.Lookup;

/// <summary>
/// A member takes a guest order into the account at /Lookup/Claim (认领订单): the order number and its lookup password,
/// with the member's confirmed e-mail equal to the order's (<see cref="ClaimGuestOrders"/>).
/// </summary>
[Authorize(Policy = ShopWeb.MemberPolicy)]
[RateLimitedPost(ShopLimit.GuestLookup)]
public sealed class ClaimModel(IMediator mediator, IStringLocalizer<SharedResource> text) : PageModel
{
    /// <summary>Tells the order page how many orders a claim just took in.</summary>
    public const string ClaimedKey = "Guest.Claimed";

    [BindProperty]
    public ClaimInput Input { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var claimed = await mediator.Send(new ClaimGuestOrders(Input.OrderNo?.Trim() ?? "", Input.LookupPassword ?? "", null), ct);
        if (claimed.OrderNos.Count == 0)
        {
            ModelState.AddModelError("", text["Claim.Refused"]);
            return Page();
        }
        TempData[ClaimedKey] = claimed.OrderNos.Count;
        return RedirectToPage("/Orders/Detail", new { orderNo = claimed.OrderNos[0] });
    }

    public sealed class ClaimInput
    {
        public string? OrderNo { get; set; }

        public string? LookupPassword { get; set; }
    }
}
