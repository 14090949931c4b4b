using CardMall.Application.Features.Catalog;
using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Search;

/// <summary>The navbar's search box lands here: products whose name (Chinese or English) or SKU matches.</summary>
[Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = Hosting.CatalogueCaching.Pages)]
public sealed class IndexModel(IMediator mediator) : PageModel
{
    /// <summary>Longer input is cut: no product name is this long, and the query stays cheap.</summary>
    public const int MaxTermLength = 100;

    public string Term { get; private set; } = "";

    public IReadOnlyList<ProductView> Results { get; private set; } = [];

    public async Task OnGetAsync(string? q, CancellationToken ct)
    {
        Term = (q ?? "").Trim();
        if (Term.Length > MaxTermLength) Term = Term[..MaxTermLength];
        if (Term.Length > 0)
            Results = await mediator.Send(new ListProducts(Search: Term), ct);
    }
}
