using System.Globalization;
using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Audit;
using CardMall.Domain.Common;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Catalog;

/// <summary>
/// An operator edits a product: names, prices, limits, whether it is on sale, and its notices. Changing
/// what the notices say (validity, devices, regions) makes a new notices version; buyers who saw the
/// old one are asked to read again before they buy, and earlier orders keep the version they accepted.
/// <paramref name="GuideSlug"/> names a published knowledge-base article pushed to buyers after a purchase (empty: none).
/// </summary>
public sealed record UpdateProduct(
    string Sku, string Name, string NameEn, string Category, decimal FaceValue, decimal Price,
    decimal? VipPrice, decimal? ResellerPrice, int ValidityDays, int DeviceLimit, string Regions, int MaxPerOrder,
    string? Description, string? DescriptionEn, int MinPerOrder, int? MaxPerBuyerPerDay, bool IsActive, string? GuideSlug = null)
    : IAuditedCommand<UpdatedProduct>, IProductFields
{
    public AuditNote Audit(UpdatedProduct result) => new(AuditActions.ProductUpdated, Sku,
        $"price {Price:0.00}, vip {VipPrice:0.00}, reseller {ResellerPrice:0.00}, on sale {IsActive}, notices v{result.NoticesVersion}, guide {GuideSlug ?? "none"}");
}

public sealed class UpdateProductValidator : AbstractValidator<UpdateProduct>
{
    public UpdateProductValidator() => Include(new ProductFieldRules<UpdateProduct>());
}

internal sealed class UpdateProductHandler(ICardMallDb db, ICurrentUser currentUser, Forgetting forgetting, TimeProvider clock) : IRequestHandler<UpdateProduct, UpdatedProduct>
{
    public async Task<UpdatedProduct> Handle(UpdateProduct request, CancellationToken cancellationToken)
    {
        currentUser.RequireAnyRole(ShopRoles.Operator, ShopRoles.Admin);
        var product = await db.Products.FirstOrDefaultAsync(p => p.Sku == request.Sku, cancellationToken)
            ?? throw new NotFoundException(AppText.Get("Catalog.ProductNotFound"));
        var category = await db.Categories.FirstOrDefaultAsync(c => c.Slug == request.Category, cancellationToken)
            ?? throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(request.Category), AppText.Format("Catalog.CategoryUnknown", request.Category))]);

        Guid? guideId = null;
        if (!string.IsNullOrWhiteSpace(request.GuideSlug))
        {
            var slug = request.GuideSlug.Trim();
            guideId = await db.Articles.Where(a => a.Slug == slug && a.IsPublished).Select(a => (Guid?)a.Id).FirstOrDefaultAsync(cancellationToken)
                ?? throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(request.GuideSlug), AppText.Format("Catalog.GuideUnknown", slug))]);
        }

        var now = clock.GetUtcNow();
        product.CategoryId = category.Id;
        product.GuideArticleId = guideId;
        product.NameZh = request.Name.Trim();
        product.NameEn = request.NameEn.Trim();
        product.DescriptionZh = request.Description?.Trim() ?? "";
        product.DescriptionEn = request.DescriptionEn?.Trim() ?? "";
        product.FaceValue = request.FaceValue;
        product.Price = request.Price;
        product.VipPrice = request.VipPrice;
        product.ResellerPrice = request.ResellerPrice;
        product.MinPerOrder = request.MinPerOrder;
        product.MaxPerOrder = request.MaxPerOrder;
        product.MaxPerBuyerPerDay = request.MaxPerBuyerPerDay;
        product.IsActive = request.IsActive;
        product.UpdatedAt = now;

        var regions = request.Regions.Trim();
        if (product.ValidityDays != request.ValidityDays || product.DeviceLimit != request.DeviceLimit || product.Regions != regions)
        {
            db.ProductNotices.Add(product.ReviseNotices(request.ValidityDays, request.DeviceLimit, regions,
                AppText.Get("Notices.RefundPolicy", CultureInfo.GetCultureInfo("zh-CN")),
                AppText.Get("Notices.RefundPolicy", CultureInfo.GetCultureInfo("en-US")), now));
        }
        forgetting.Forget(new Stale.Catalogue());
        return new UpdatedProduct(product.Sku, product.NoticesVersion);
    }
}

public sealed record UpdatedProduct(string Sku, int NoticesVersion);

/// <summary>A product's editable fields, for the edit form (staff only).</summary>
public sealed record GetProductForEditing(string Sku) : IRequest<UpdateProduct>;

internal sealed class GetProductForEditingHandler(ICardMallDb db, ICurrentUser currentUser) : IRequestHandler<GetProductForEditing, UpdateProduct>
{
    public async Task<UpdateProduct> Handle(GetProductForEditing request, CancellationToken cancellationToken)
    {
        currentUser.RequireAnyRole(ShopRoles.Operator, ShopRoles.Admin);
        var row = await (from p in db.Products.AsNoTracking()
                         join c in db.Categories on p.CategoryId equals c.Id
                         where p.Sku == request.Sku
                         select new { p, c.Slug, Guide = db.Articles.Where(a => a.Id == p.GuideArticleId).Select(a => a.Slug).FirstOrDefault() })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException(AppText.Get("Catalog.ProductNotFound"));
        var product = row.p;
        return new UpdateProduct(product.Sku, product.NameZh, product.NameEn, row.Slug, product.FaceValue, product.Price, product.VipPrice,
            product.ResellerPrice, product.ValidityDays, product.DeviceLimit, product.Regions, product.MaxPerOrder, product.DescriptionZh,
            product.DescriptionEn, product.MinPerOrder, product.MaxPerBuyerPerDay, product.IsActive, row.Guide);
    }
}
