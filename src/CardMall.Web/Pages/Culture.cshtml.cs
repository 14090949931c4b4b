using CardMall.Application.Abstractions;
using CardMall.Application.Features.Accounts;
using CardMall.Application.Localization;
using MediatR;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages;

/// <summary>
/// The language switch: remembers the choice in a cookie for a year and goes back. A signed-in user's
/// account remembers it too, so e-mails and the system's messages reach them in that language.
/// </summary>
/// <remarks>
/// Takes no antiforgery token, so that every catalogue page can be one cached copy per language. A forged
/// switch only changes a display language; the account's remembered language is written only for a
/// signed-in visitor, whose cookie (SameSite=Lax) a cross-site form post does not carry.
/// </remarks>
[IgnoreAntiforgeryToken]
public sealed class CultureModel(IMediator mediator, ICurrentUser currentUser) : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync(string? culture, string? returnUrl, CancellationToken ct)
    {
        if (culture is not null && VisitorLanguage.Supported.Contains(culture))
        {
            Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
            if (currentUser.UserId is { } userId)
                await mediator.Send(new RememberLanguage(userId, culture), ct);
        }
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl! : "/");
    }
}
