using System.Globalization;
using CardMall.Application.Features.Catalog;
using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages;

public sealed class IndexModel(IMediator mediator) : PageModel
{
    public IReadOnlyList<CategoryView> Categories { get; private set; } = [];

    /// <summary>Everything on sale, in shelf order (the query sorts by category, then price).</summary>
    public IReadOnlyList<ProductView> Products { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Categories = await mediator.Send(new ListCategories(CultureInfo.CurrentUICulture.Name.StartsWith("en", StringComparison.Ordinal)), ct);
        Products = await mediator.Send(new ListProducts(), ct);
    }
}
