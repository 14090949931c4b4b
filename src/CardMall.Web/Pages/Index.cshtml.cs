using System.Globalization;
using CardMall.Application.Features.Catalog;
using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages;

[Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = Hosting.CatalogueCaching.Pages)]
public sealed class IndexModel(IMediator mediator) : PageModel
{
    /// <summary>The home page shows a shelf's first products; "See all" leads to the category page.</summary>
    public const int PerShelf = 6;

    public IReadOnlyList<CategoryView> Categories { get; private set; } = [];

    /// <summary>Everything on sale, in shelf order (the query sorts by category, then price).</summary>
    public IReadOnlyList<ProductView> Products { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Categories = await mediator.Send(new ListCategories(CardMall.Application.Localization.VisitorLanguage.IsEnglish), ct);
        Products = await mediator.Send(new ListProducts(), ct);
    }
}
