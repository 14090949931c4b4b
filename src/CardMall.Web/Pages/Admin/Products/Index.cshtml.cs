using CardMall.Application.Features.Catalog;
using CardMall.Web.Hosting;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Admin.Products;

/// <summary>Every product, on sale or not, with prices, limits, notices version and stock.</summary>
[Authorize(Policy = ShopWeb.OperatorPolicy)]
public sealed class IndexModel(IMediator mediator) : PageModel
{
    public IReadOnlyList<StaffProductRow> Products { get; private set; } = [];

    /// <summary>The SKU just created on the "new product" page, for the confirmation line.</summary>
    [TempData]
    public string? Created { get; set; }

    [TempData]
    public string? Updated { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => Products = await mediator.Send(new ListProductsForStaff(), ct);
}
