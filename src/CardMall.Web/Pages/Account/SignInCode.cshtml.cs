using CardMall.Application.Accounts;
using CardMall.Web.Identity;
using CardMall.Web.Localization;
using MediatR;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CardMall.Web.Pages.Account;

/// <summary>
/// The second step of signing in, after the right password of an account with two-factor sign-in: a code from
/// the authenticator app (6 digits) or one of the recovery codes (each works once). Five wrong codes lock the
/// account for 15 minutes (Identity's lockout: only the password's holder gets this far).
/// </summary>
public sealed class SignInCodeModel(SignInManager<ShopUser> signIn, IStringLocalizer<SharedResource> text, IMediator mediator, SignInLimits limits)
    : PageModel
{
    [BindProperty]
    public string? Code { get; set; }

    public string? ReturnUrl { get; private set; }

    public bool RememberMe { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? returnUrl, bool rememberMe)
    {
        (ReturnUrl, RememberMe) = (returnUrl, rememberMe);
        // Without the password step's cookie there is nobody to ask a code of.
        return await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("/Account/Login", new { returnUrl }) : Page();
    }

    public async Task<IActionResult> OnPostAsync(string? returnUrl, bool rememberMe, CancellationToken ct)
    {
        (ReturnUrl, RememberMe) = (returnUrl, rememberMe);
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is not { } user)
            return RedirectToPage("/Account/Login", new { returnUrl });
        var code = new string((Code ?? "").Where(c => !char.IsWhiteSpace(c)).ToArray());
        if (code.Length == 0)
        {
            ModelState.AddModelError(nameof(Code), text["SignInCode.Required"]);
            return Page();
        }
        if (await limits.SignInAsync(HttpContext, user.Email ?? user.Id.ToString()) is { } wait)
        {
            ModelState.AddModelError("", text["Login.TooManyAttempts", SignInLimits.Refuse(HttpContext, wait)]);
            return Page();
        }

        // Six digits come from the app; anything else is tried as a recovery code.
        var result = code.Length == 6 && code.All(char.IsAsciiDigit)
            ? await signIn.TwoFactorAuthenticatorSignInAsync(code, rememberMe, rememberClient: false)
            : await signIn.TwoFactorRecoveryCodeSignInAsync(code);
        if (result.Succeeded)
        {
            await SignedIn.WelcomeAsync(HttpContext, mediator, user.Id, ct);
            return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl! : "/");
        }
        ModelState.AddModelError("", result.IsLockedOut ? text["Login.LockedOut"] : text["SignInCode.Wrong"]);
        return Page();
    }
}
