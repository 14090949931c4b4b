using CardMall.Application.Abstractions;
using CardMall.Application.Features.CardKeys;
using CardMall.Application.Features.Catalog;
using CardMall.Web.Errors;
using CardMall.Web.Hosting;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Admin.Batches;

/// <summary>
/// Imported batches with their keys per state; an operator freezes a batch (its available keys stop
/// selling) or releases it again, always with a reason that goes into every key's history.
/// </summary>
[Authorize(Policy = ShopWeb.OperatorPolicy)]
public sealed class IndexModel(IMediator mediator) : PageModel, IReloadsPageData
{
    [BindProperty]
    public FreezeInput Input { get; set; } = new();

    public Paged<BatchRow> Batches { get; private set; } = new([], 1, 50, 0);

    public IReadOnlyList<StaffProductRow> Products { get; private set; } = [];

    /// <summary>The product filter (?sku=) and the page (?pageNo=), kept across the freeze buttons.</summary>
    public string? Sku { get; private set; }

    public int PageNo { get; private set; } = 1;

    [TempData]
    public int? FrozenKeys { get; set; }

    [TempData]
    public int? ReleasedKeys { get; set; }

    public Task OnGetAsync(string? sku, int pageNo = 1, CancellationToken ct = default)
    {
        Remember(sku, pageNo);
        return LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostFreezeAsync(string? sku, int pageNo = 1, CancellationToken ct = default)
    {
        Remember(sku, pageNo);
        var result = await mediator.Send(new FreezeBatch(Input.BatchId, Input.Reason ?? ""), ct);
        FrozenKeys = result.KeysChanged;
        return RedirectToPage(new { sku = Sku, pageNo = PageNo });
    }

    public async Task<IActionResult> OnPostUnfreezeAsync(string? sku, int pageNo = 1, CancellationToken ct = default)
    {
        Remember(sku, pageNo);
        var result = await mediator.Send(new UnfreezeBatch(Input.BatchId, Input.Reason ?? ""), ct);
        ReleasedKeys = result.KeysChanged;
        return RedirectToPage(new { sku = Sku, pageNo = PageNo });
    }

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        Products = await mediator.Send(new ListProductsForStaff(), cancellationToken);
        Batches = await mediator.Send(new ListBatches(Sku, PageNo), cancellationToken);
    }

    private void Remember(string? sku, int pageNo)
    {
        Sku = string.IsNullOrWhiteSpace(sku) ? null : sku.Trim();
        PageNo = Math.Clamp(pageNo, 1, 100_000);
    }

    public sealed class FreezeInput
    {
        public Guid BatchId { get; set; }
        public string? Reason { get; set; }
    }
}
