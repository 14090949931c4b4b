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

    /// <summary>The birthday form (month and day, for the greeting); its errors land under Birthday.Month / Birthday.Day.</summary>
    [BindProperty]
    public BirthdayInput Birthday { get; set; } = new();

    [TempData]
    public bool PasswordChanged { get; set; }

    /// <summary>"saved" or "cleared" after the birthday form was sent.</summary>
    [TempData]
    public string? BirthdayChange { get; set; }

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostBirthdayAsync(CancellationToken ct)
    {
        // A value that is no number (a tampered form) is refused by binding; the page shows it again.
        if (!ModelState.IsValid)
        {
            await LoadAsync(ct);
            return Page();
        }
        await mediator.Send(new SetBirthday(Birthday.Month, Birthday.Day), ct);
        BirthdayChange = Birthday.Month is null && Birthday.Day is null ? "cleared" : "saved";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await mediator.Send(new ChangePassword(Input.CurrentPassword ?? "", Input.NewPassword ?? "", Input.ConfirmPassword ?? ""), ct);
        // A new security stamp signs out other sessions; keep this one signed in.
        var user = await users.GetUserAsync(User);
        if (user is not null) await signIn.RefreshSignInAsync(user);
        PasswordChanged = true;
        return RedirectToPage();
    }

    /// <summary>
    /// The profile and the stored birthday: also when the password form is shown again with its errors, so the
    /// birthday form never shows (and could then save) an empty birthday. A refused birthday shows what was sent
    /// (the form's values win over the model's).
    /// </summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        Me = await mediator.Send(new GetMe(), cancellationToken);
        var stored = await mediator.Send(new GetBirthday(), cancellationToken);
        Birthday = new BirthdayInput { Month = stored?.Month, Day = stored?.Day };
    }

    public sealed class BirthdayInput
    {
        public int? Month { get; set; }
        public int? Day { get; set; }
    }

    public sealed class PasswordInput
    {
        public string? CurrentPassword { get; set; }
        public string? NewPassword { get; set; }
        public string? ConfirmPassword { get; set; }
    }
}
