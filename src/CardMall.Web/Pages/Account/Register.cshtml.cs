using CardMall.Application.Features.Accounts;
using CardMall.Web.Identity;
using CardMall.Web.Localization;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CardMall.Web.Pages.Account;

/// <summary>
/// Registration ends at "check your mail" whether the address was new or already had an account
/// (RegisterBuyer), and signs nobody in, so the answer tells a stranger nothing. Too many registrations from
/// one address are answered 429 with a form error.
/// </summary>
public sealed class RegisterModel(IMediator mediator, SignInLimits limits, IStringLocalizer<SharedResource> text) : PageModel
{
    [BindProperty]
    public RegisterInput Input { get; set; } = new();

    public string? ReturnUrl { get; private set; }

    public void OnGet(string? returnUrl) => ReturnUrl = returnUrl;

    public async Task<IActionResult> OnPostAsync(string? returnUrl, CancellationToken ct)
    {
        ReturnUrl = returnUrl;
        if (await limits.RegisterAsync(HttpContext) is { } wait)
        {
            ModelState.AddModelError("", text["Register.TooMany", (int)Math.Ceiling(SignInLimits.Refuse(HttpContext, wait) / 60.0)]);
            return Page();
        }
        await mediator.Send(new RegisterBuyer(Input.Email ?? "", Input.Password ?? "", Input.ConfirmPassword ?? "", Input.DisplayName), ct);
        return RedirectToPage("/Account/CheckEmail", new { returnUrl });
    }

    public sealed class RegisterInput
    {
        public string? Email { get; set; }
        public string? DisplayName { get; set; }
        public string? Password { get; set; }
        public string? ConfirmPassword { get; set; }
    }
}
