using CardMall.Application.Abstractions;
using CardMall.Application.Features.Admin;
using CardMall.Web.Errors;
using CardMall.Web.Hosting;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Admin.Users;

/// <summary>
/// The Admin's users page: find accounts by e-mail, see their role and state, change the role, disable or
/// enable, reset two-factor, revoke API keys. Each button is one use case, and each goes on the audit log.
/// </summary>
[Authorize(Policy = ShopWeb.AdminPolicy)]
public sealed class IndexModel(IMediator mediator) : PageModel, IReloadsPageData
{
    public Paged<UserSummary> Users { get; private set; } = new([], 1, 20, 0);

    /// <summary>The search text (?email=) and page (?pageNo=), kept across the buttons.</summary>
    public string? Email { get; private set; }

    public int PageNo { get; private set; } = 1;

    /// <summary>Which change was made, and to whom: shown once after the redirect.</summary>
    [TempData]
    public string? Done { get; set; }

    [TempData]
    public string? DoneFor { get; set; }

    public Task OnGetAsync(string? email, int pageNo = 1, CancellationToken ct = default)
    {
        Remember(email, pageNo);
        return LoadAsync(ct);
    }

    public Task<IActionResult> OnPostRoleAsync(Guid userId, string? role, string? email, int pageNo = 1, CancellationToken ct = default) =>
        ActAsync(email, pageNo, "Role", async () => (await mediator.Send(new ChangeUserRole(userId, role ?? ""), ct)).Email);

    public Task<IActionResult> OnPostDisableAsync(Guid userId, string? email, int pageNo = 1, CancellationToken ct = default) =>
        ActAsync(email, pageNo, "Disabled", async () => (await mediator.Send(new DisableUser(userId), ct)).Email);

    public Task<IActionResult> OnPostEnableAsync(Guid userId, string? email, int pageNo = 1, CancellationToken ct = default) =>
        ActAsync(email, pageNo, "Enabled", async () => (await mediator.Send(new EnableUser(userId), ct)).Email);

    public Task<IActionResult> OnPostResetTwoFactorAsync(Guid userId, string? email, int pageNo = 1, CancellationToken ct = default) =>
        ActAsync(email, pageNo, "TwoFactorReset", async () => (await mediator.Send(new ResetTwoFactor(userId), ct)).Email);

    public Task<IActionResult> OnPostRevokeKeysAsync(Guid userId, string? email, int pageNo = 1, CancellationToken ct = default) =>
        ActAsync(email, pageNo, "KeysRevoked", async () => (await mediator.Send(new RevokeUserApiKeys(userId), ct)).Email);

    public async Task LoadAsync(CancellationToken cancellationToken) =>
        Users = await mediator.Send(new FindUsers(Email, PageNo), cancellationToken);

    private async Task<IActionResult> ActAsync(string? email, int pageNo, string done, Func<Task<string>> act)
    {
        // Remembered first: a refused action re-renders this page (the form errors filter) with the same search.
        Remember(email, pageNo);
        DoneFor = await act();
        Done = done;
        return RedirectToPage(new { email = Email, pageNo = PageNo });
    }

    private void Remember(string? email, int pageNo)
    {
        Email = string.IsNullOrWhiteSpace(email) ? null : email.Trim();
        PageNo = Math.Clamp(pageNo, 1, 100_000);
    }
}
