using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Common;
using MediatR;

namespace CardMall.Application.Features.Catalog;

/// <summary>One product on sale, by SKU (the product page, GET /api/v1/products/{sku}).</summary>
public sealed record GetProduct(string Sku) : IRequest<ProductView>;

internal sealed class GetProductHandler(ICardMallDb db, ICurrentUser currentUser, TimeProvider clock) : IRequestHandler<GetProduct, ProductView>
{
    public async Task<ProductView> Handle(GetProduct request, CancellationToken cancellationToken)
    {
        var sku = request.Sku.Trim();
        var tier = await ProductReading.TierOfAsync(db, currentUser, cancellationToken);
        var found = await ProductReading.ReadAsync(db, db.Products.Where(p => p.Sku == sku && p.IsActive), tier, clock.GetUtcNow(), cancellationToken);
        return found.Count == 1 ? found[0] : throw new NotFoundException(AppText.Get("Catalog.ProductNotFound"));
    }
}
