using CardMall.Application.Features.Accounts;
using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Common;
using MediatR;

namespace CardMall.Application.Features.Catalog;

/// <summary>One product on sale, by SKU (the product page, GET /api/v1/products/{sku}).</summary>
public sealed record GetProduct(string Sku) : IRequest<ProductView>;

internal sealed class GetProductHandler(ICardMallDb db, ICurrentUser currentUser, Shelves shelves, IShelfStock stock, BuyerTiers tiers)
    : IRequestHandler<GetProduct, ProductView>
{
    public async Task<ProductView> Handle(GetProduct request, CancellationToken cancellationToken)
    {
        var sku = request.Sku.Trim();
        var product = (await shelves.ReadAsync(cancellationToken)).Products.FirstOrDefault(p => p.Product.Sku == sku)
            ?? throw new NotFoundException(AppText.Get("Catalog.ProductNotFound"));
        var tier = await ProductReading.TierOfAsync(db, currentUser, tiers, cancellationToken);
        return ProductReading.View([product], tier, await stock.SellableAsync(cancellationToken))[0];
    }
}
