using CardMall.Application.Features.Accounts;
using CardMall.Web.Identity;
using CardMall.Web.Localization;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CardMall.Web.Pages.Account;

/// <summary>
/// Sign-in with e-mail and password (SignInWithPassword: five wrong passwords lock that account from that
/// address for 15 minutes; the message never says whether the e-mail exists). An account with two-factor
/// sign-in continues at /Account/SignInCode. Too many attempts are answered 429 with a form error.
/// </summary>
public sealed class LoginModel(IStringLocalizer<SharedResource> text, IMediator mediator, SignInLimits limits,
    IConfiguration configuration, IWebHostEnvironment environment) : PageModel
{
    [BindProperty]
    public LoginInput Input { get; set; } = new();

    public string? ReturnUrl { get; private set; }

    /// <summary>The Development demo tells newcomers that its staff sign in without a code.</summary>
    public bool DemoWithoutTwoFactor => environment.IsDevelopment() && !StaffTwoFactor.IsRequired(configuration);

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

        if (await limits.SignInAsync(HttpContext, Input.Email!) is { } wait)
        {
            ModelState.AddModelError("", text["Login.TooManyAttempts", SignInLimits.Refuse(HttpContext, wait)]);
            return Page();
        }

        var result = await mediator.Send(new SignInWithPassword(Input.Email!, Input.Password!, Input.RememberMe, SignInLimits.Address(HttpContext)), ct);
        switch (result.Outcome)
        {
            case SignInOutcome.SignedIn:
                await SignedIn.WelcomeAsync(HttpContext, mediator, result.UserId!.Value, ct);
                return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl! : "/");
            case SignInOutcome.NeedsCode:
                return RedirectToPage("/Account/SignInCode", new { returnUrl, rememberMe = Input.RememberMe });
            default:
                ModelState.AddModelError("", result.Outcome == SignInOutcome.LockedOut ? text["Login.LockedOut"] : text["Login.Failed"]);
                return Page();
        }
    }

    public sealed class LoginInput
    {
        public string? Email { get; set; }
        public string? Password { get; set; }
        public bool RememberMe { get; set; }
    }
}
