using CardMall.Application.Abstractions;
using CardMall.Application.Features.Guests;
using CardMall.Web.Identity;
using CardMall.Web.Localization;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CardMall.Web.Pages.Lookup;

/// <summary>
/// A signed guest link at /Lookup/Open?token=… (from a guest's e-mail or a lookup's answer): signs the browser in as
/// the guest account it names and opens its page. A member who is signed in is not signed out by a link: they
/// choose between taking the order into their account and opening it as the guest.
/// </summary>
public sealed class OpenModel(IGuestLinks links, GuestSessions guests, IMediator mediator, IStringLocalizer<SharedResource> text) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    /// <summary>The link could not be read (altered, expired) or its guest account is gone (claimed).</summary>
    public bool Invalid { get; private set; }

    public bool IsMember => User.Identity?.IsAuthenticated == true && !GuestSessions.IsGuest(User);

    public async Task<IActionResult> OnGetAsync()
    {
        if (links.Read(Token ?? "") is not { } target) return Refused();
        if (IsMember) return Page();
        return await guests.SignInAsync(target.GuestId) ? LocalRedirect(target.Path) : Refused();
    }

    public async Task<IActionResult> OnPostGuestAsync()
    {
        if (links.Read(Token ?? "") is not { } target) return Refused();
        return await guests.SignInAsync(target.GuestId) ? LocalRedirect(target.Path) : Refused();
    }

    public async Task<IActionResult> OnPostClaimAsync(CancellationToken ct)
    {
        var claimed = await mediator.Send(new ClaimGuestOrders(null, null, Token ?? ""), ct);
        if (claimed.OrderNos.Count == 0)
        {
            ModelState.AddModelError("", text["Claim.Refused"]);
            return Page();
        }
        TempData[ClaimModel.ClaimedKey] = claimed.OrderNos.Count;
        return RedirectToPage("/Orders/Detail", new { orderNo = claimed.OrderNos[0] });
    }

    private PageResult Refused()
    {
        Invalid = true;
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }
}
