using CardMall.Application.Abstractions;
using CardMall.Application.Features.Catalog;
using CardMall.Application.Localization;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Category;

/// <summary>One shelf at /Category/{slug}: the category's products on sale. An unknown slug is a 404.</summary>
[Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = Hosting.CatalogueCaching.Pages)]
public sealed class IndexModel(IMediator mediator) : PageModel
{
    public CategoryView Category { get; private set; } = null!;

    public IReadOnlyList<CategoryView> Categories { get; private set; } = [];

    public IReadOnlyList<ProductView> Products { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        Categories = await mediator.Send(new ListCategories(VisitorLanguage.IsEnglish), ct);
        var category = Categories.FirstOrDefault(c => string.Equals(c.Slug, slug, StringComparison.OrdinalIgnoreCase));
        if (category is null) return NotFound();
        Category = category;
        Products = await mediator.Send(new ListProducts(CategorySlug: category.Slug), ct);
        return Page();
    }
}
