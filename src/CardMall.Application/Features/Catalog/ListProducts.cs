using CardMall.Application.Features.Accounts;
using CardMall.Application.Abstractions;
using MediatR;

namespace CardMall.Application.Features.Catalog;

/// <summary>
/// The products on sale, optionally in one category or matching a search in either language
/// (GET /api/v1/products, the home and category pages, the search box).
/// </summary>
public sealed record ListProducts(string? CategorySlug = null, string? Search = null) : IRequest<IReadOnlyList<ProductView>>;

internal sealed class ListProductsHandler(ICardMallDb db, ICurrentUser currentUser, Shelves shelves, IShelfStock stock, BuyerTiers tiers)
    : IRequestHandler<ListProducts, IReadOnlyList<ProductView>>
{
    public async Task<IReadOnlyList<ProductView>> Handle(ListProducts request, CancellationToken cancellationToken)
    {
        IEnumerable<ShelfProduct> products = (await shelves.ReadAsync(cancellationToken)).Products;
        if (!string.IsNullOrWhiteSpace(request.CategorySlug))
        {
            var slug = request.CategorySlug.Trim();
            products = products.Where(p => p.Category.Slug == slug);
        }
        if (!string.IsNullOrWhiteSpace(request.Search))
        {
            // Case-insensitive, in both languages; a plain substring (no wildcards from users).
            var term = request.Search.Trim().ToLowerInvariant();
            products = products.Where(p => p.Product.NameZh.ToLowerInvariant().Contains(term, StringComparison.Ordinal)
                                           || p.Product.NameEn.ToLowerInvariant().Contains(term, StringComparison.Ordinal)
                                           || p.Product.Sku.ToLowerInvariant().Contains(term, StringComparison.Ordinal));
        }
        var tier = await ProductReading.TierOfAsync(db, currentUser, tiers, cancellationToken);
        return ProductReading.View(products, tier, await stock.SellableAsync(cancellationToken));
    }
}
