using CardMall.Application.Features.CardKeys;
using CardMall.Domain.Accounts;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Admin.Stock;

/// <summary>
/// Stock per product for every staff member (agents read it to answer buyers). Admins also see how many
/// keys are still sealed under an older master key and re-encrypt them here, a slice per click.
/// </summary>
public sealed class IndexModel(IMediator mediator) : PageModel
{
    public const int ReencryptSlice = 1000;

    public StockOverview Overview { get; private set; } = new([], 0, 1);

    public bool CanReencrypt => User.IsInRole(ShopRoles.Admin);

    [TempData]
    public int? Reencrypted { get; set; }

    [TempData]
    public int? Remaining { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => Overview = await mediator.Send(new GetStockOverview(), ct);

    public async Task<IActionResult> OnPostReencryptAsync(CancellationToken ct)
    {
        var result = await mediator.Send(new ReencryptCardKeys(ReencryptSlice), ct);
        Reencrypted = result.Reencrypted;
        Remaining = result.Remaining;
        return RedirectToPage();
    }
}
