using System.Globalization;
using CardMall.Application.Features.Accounts;
using CardMall.Domain.Common;
using CardMall.Web.Errors;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Account.Manage;

public sealed class ApiKeysModel(IMediator mediator) : PageModel, IReloadsPageData
{

    [BindProperty]
    public ApiKeyInput Input { get; set; } = new();

    public IReadOnlyList<ApiKeySummary> Keys { get; private set; } = [];

    /// <summary>The key just created: shown on this one response and never again (not in TempData, not in a URL).</summary>
    public string? NewPlainKey { get; private set; }

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var created = await mediator.Send(new CreateApiKey(Input.Name ?? ""), ct);
        NewPlainKey = created.PlainKey;
        Input = new ApiKeyInput();
        ModelState.Clear();
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id, CancellationToken ct)
    {
        await mediator.Send(new RevokeApiKey(id), ct);
        return RedirectToPage();
    }

    public async Task LoadAsync(CancellationToken cancellationToken) => Keys = await mediator.Send(new ListApiKeys(), cancellationToken);

    public string Local(DateTimeOffset at) => ShopTime.Minutes(at);

    public sealed class ApiKeyInput
    {
        public string? Name { get; set; }
    }
}
