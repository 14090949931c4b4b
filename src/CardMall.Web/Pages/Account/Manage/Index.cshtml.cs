using CardMall.Application.Accounts;
using CardMall.Application.Features.Accounts;
using CardMall.Web.Errors;
using MediatR;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Account.Manage;

public sealed class IndexModel(IMediator mediator, SignInManager<ShopUser> signIn, UserManager<ShopUser> users) : PageModel, IReloadsPageData
{
    [BindProperty]
    public PasswordInput Input { get; set; } = new();

    public Me? Me { get; private set; }

    [TempData]
    public bool PasswordChanged { get; set; }

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await mediator.Send(new ChangePassword(Input.CurrentPassword ?? "", Input.NewPassword ?? "", Input.ConfirmPassword ?? ""), ct);
        // A new security stamp signs out other sessions; keep this one signed in.
        var user = await users.GetUserAsync(User);
        if (user is not null) await signIn.RefreshSignInAsync(user);
        PasswordChanged = true;
        return RedirectToPage();
    }

    public async Task LoadAsync(CancellationToken cancellationToken) => Me = await mediator.Send(new GetMe(), cancellationToken);

    public sealed class PasswordInput
    {
        public string? CurrentPassword { get; set; }
        public string? NewPassword { get; set; }
        public string? ConfirmPassword { get; set; }
    }
}
