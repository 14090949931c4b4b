using CardMall.Application.Accounts;
using CardMall.Application.Features.Accounts;
using CardMall.Web.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CardMall.Web.Pages.Account;

/// <summary>
/// Sign-in with e-mail and password. Five wrong passwords lock the account for 15 minutes; the
/// message never says whether the e-mail exists.
/// </summary>
public sealed class LoginModel(SignInManager<ShopUser> signIn, IStringLocalizer<SharedResource> text, MediatR.IMediator mediator) : PageModel
{
    [BindProperty]
    public LoginInput Input { get; set; } = new();

    public string? ReturnUrl { get; private set; }

    public void OnGet(string? returnUrl) => ReturnUrl = returnUrl;

    public async Task<IActionResult> OnPostAsync(string? returnUrl, CancellationToken ct)
    {
        ReturnUrl = returnUrl;
        if (string.IsNullOrWhiteSpace(Input.Email))
            ModelState.AddModelError("Input.Email", text["Login.EmailRequired"]);
        if (string.IsNullOrEmpty(Input.Password))
            ModelState.AddModelError("Input.Password", text["Login.PasswordRequired"]);
        if (!ModelState.IsValid)
            return Page();

        var result = await signIn.PasswordSignInAsync(Input.Email!.Trim(), Input.Password!, Input.RememberMe, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            // A sign-in from a device this account has not used before is told to its owner.
            if (await signIn.UserManager.FindByNameAsync(Input.Email!.Trim()) is { } user)
            {
                await CardMall.Web.Identity.DeviceCookie.NoticeSignInAsync(HttpContext, mediator, user.Id, ct);
                await mediator.Send(new RememberLanguage(user.Id, System.Globalization.CultureInfo.CurrentUICulture.Name), ct);
            }
            return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl! : "/");
        }

        ModelState.AddModelError("", result.IsLockedOut ? text["Login.LockedOut"] : text["Login.Failed"]);
        return Page();
    }

    public sealed class LoginInput
    {
        public string? Email { get; set; }
        public string? Password { get; set; }
        public bool RememberMe { get; set; }
    }
}
