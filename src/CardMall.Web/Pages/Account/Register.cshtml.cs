using CardMall.Application.Accounts;
using CardMall.Application.Features.Accounts;
using MediatR;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Account;

public sealed class RegisterModel(IMediator mediator, SignInManager<ShopUser> signIn, UserManager<ShopUser> users) : PageModel
{
    [BindProperty]
    public RegisterInput Input { get; set; } = new();

    public string? ReturnUrl { get; private set; }

    public void OnGet(string? returnUrl) => ReturnUrl = returnUrl;

    public async Task<IActionResult> OnPostAsync(string? returnUrl, CancellationToken ct)
    {
        ReturnUrl = returnUrl;
        var registered = await mediator.Send(new RegisterBuyer(Input.Email ?? "", Input.Password ?? "", Input.ConfirmPassword ?? "", Input.DisplayName), ct);
        var user = await users.FindByIdAsync(registered.UserId.ToString());
        await signIn.SignInAsync(user!, isPersistent: false);
        // The first device is known from the start, so only later new devices raise a notice.
        await CardMall.Web.Identity.DeviceCookie.NoticeSignInAsync(HttpContext, mediator, registered.UserId, ct);
        await mediator.Send(new RememberLanguage(registered.UserId, System.Globalization.CultureInfo.CurrentUICulture.Name), ct);
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl! : "/");
    }

    public sealed class RegisterInput
    {
        public string? Email { get; set; }
        public string? DisplayName { get; set; }
        public string? Password { get; set; }
        public string? ConfirmPassword { get; set; }
    }
}
