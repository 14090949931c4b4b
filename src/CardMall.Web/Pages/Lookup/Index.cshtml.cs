using CardMall.Application.Abstractions;
using CardMall.Application.Features.Guests;
using CardMall.Web.Hosting;
using CardMall.Web.Localization;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CardMall.Web.Pages.Lookup;

/// <summary>
/// The order lookup (查询订单) at /Lookup: an order number or e-mail and the lookup password list the guest's orders;
/// each opens through a short-lived signed link that signs the browser in as that order's guest account. Wrong
/// password, unknown number or e-mail: one answer (<see cref="LookUpGuestOrders"/>); limited per address here.
/// </summary>
[RateLimitedPost(ShopLimit.GuestLookup)]
public sealed class IndexModel(IMediator mediator, IGuestLinks links, IStringLocalizer<SharedResource> text) : PageModel
{
    /// <summary>How long the "open" links of a lookup's answer work: enough to click one.</summary>
    public static readonly TimeSpan OpenLinkValidity = TimeSpan.FromMinutes(15);

    [BindProperty]
    public LookupInput Input { get; set; } = new();

    /// <summary>The orders found, with the link that opens each; null before a successful lookup.</summary>
    public IReadOnlyList<(GuestOrderFound Order, string OpenLink)>? Found { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var result = await mediator.Send(new LookUpGuestOrders(Input.OrderNoOrEmail ?? "", Input.LookupPassword ?? ""), ct);
        Input.LookupPassword = null;
        switch (result.Outcome)
        {
            case GuestLookupOutcome.Found:
                Found = result.Orders.Select(o => (o, links.Link(o.GuestId, "/Orders/" + o.OrderNo, OpenLinkValidity))).ToList();
                // The answer holds links that sign in: no browser or proxy may keep a copy.
                Response.Headers.CacheControl = "no-store";
                break;
            case GuestLookupOutcome.Locked:
                ModelState.AddModelError("", text["Lookup.Locked"]);
                break;
            default:
                ModelState.AddModelError("", text["Lookup.NotFound"]);
                break;
        }
        return Page();
    }

    public sealed class LookupInput
    {
        public string? OrderNoOrEmail { get; set; }

        public string? LookupPassword { get; set; }
    }
}
