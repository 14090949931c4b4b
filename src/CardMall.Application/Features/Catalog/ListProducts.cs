using CardMall.Application.Abstractions;
using MediatR;

namespace CardMall.Application.Features.Catalog;

/// <summary>
/// The products on sale, optionally in one category or matching a search in either language
/// (GET /api/v1/products, the home and category pages, the search box).
/// </summary>
public sealed record ListProducts(string? CategorySlug = null, string? Search = null) : IRequest<IReadOnlyList<ProductView>>;

internal sealed class ListProductsHandler(ICardMallDb db, ICurrentUser currentUser, TimeProvider clock) : IRequestHandler<ListProducts, IReadOnlyList<ProductView>>
{
    public async Task<IReadOnlyList<ProductView>> Handle(ListProducts request, CancellationToken cancellationToken)
    {
        var query = db.Products.Where(p => p.IsActive);
        if (!string.IsNullOrWhiteSpace(request.CategorySlug))
        {
            var slug = request.CategorySlug.Trim();
            query = query.Where(p => db.Categories.Any(c => c.Id == p.CategoryId && c.Slug == slug));
        }
        if (!string.IsNullOrWhiteSpace(request.Search))
        {
            // Case-insensitive, in both languages; EF escapes the term (no LIKE wildcards from users).
            var term = request.Search.Trim().ToLowerInvariant();
            query = query.Where(p => p.NameZh.ToLower().Contains(term) || p.NameEn.ToLower().Contains(term) || p.Sku.ToLower().Contains(term));
        }
        var tier = await ProductReading.TierOfAsync(db, currentUser, cancellationToken);
        return await ProductReading.ReadAsync(db, query, tier, clock.GetUtcNow(), cancellationToken);
    }
}
