using System.Globalization;
using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Audit;
using CardMall.Domain.Catalog;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Catalog;

/// <summary>An operator adds a product with its prices, limits and first version of its notices.</summary>
public sealed record CreateProduct(
    string Sku, string Name, string NameEn, string Category, decimal FaceValue, decimal Price,
    decimal? VipPrice, decimal? ResellerPrice, int ValidityDays, int DeviceLimit, string Regions, int MaxPerOrder,
    string? Description = null, string? DescriptionEn = null, int MinPerOrder = 1, int? MaxPerBuyerPerDay = null) : IAuditedCommand<CreatedProduct>, IProductFields
{
    public AuditNote Audit(CreatedProduct result) => new(AuditActions.ProductCreated, Sku, $"{Name} / {NameEn}: price {Price:0.00}, vip {VipPrice:0.00}, reseller {ResellerPrice:0.00}");
}

public sealed class CreateProductValidator : AbstractValidator<CreateProduct>
{
    public CreateProductValidator()
    {
        RuleFor(x => x.Sku).NotEmpty().WithMessage(_ => AppText.Get("Catalog.SkuRequired"))
            .Matches("^[A-Z0-9][A-Z0-9-]{1,63}$").WithMessage(_ => AppText.Get("Catalog.SkuInvalid"));
        RuleFor(x => x.Category).NotEmpty().WithMessage(_ => AppText.Format("Catalog.CategoryUnknown", "game-cards, activation-codes, memberships"));
        Include(new ProductFieldRules<CreateProduct>());
    }
}

/// <summary>What creating and editing a product have in common, checked by one set of rules.</summary>
public interface IProductFields
{
    string Name { get; }
    string NameEn { get; }
    decimal FaceValue { get; }
    decimal Price { get; }
    decimal? VipPrice { get; }
    decimal? ResellerPrice { get; }
    int ValidityDays { get; }
    int DeviceLimit { get; }
    string Regions { get; }
    int MaxPerOrder { get; }
    string? Description { get; }
    string? DescriptionEn { get; }
    int MinPerOrder { get; }
    int? MaxPerBuyerPerDay { get; }
}

public sealed class ProductFieldRules<T> : AbstractValidator<T> where T : IProductFields
{
    public ProductFieldRules()
    {
        RuleFor(x => x.Name).NotEmpty().WithMessage(_ => AppText.Get("Catalog.NameRequired")).MaximumLength(200).WithMessage(_ => AppText.Get("Catalog.NameRequired"));
        RuleFor(x => x.NameEn).NotEmpty().WithMessage(_ => AppText.Get("Catalog.NameRequired")).MaximumLength(200).WithMessage(_ => AppText.Get("Catalog.NameRequired"));
        RuleFor(x => x.Price).Must(Money.IsPositive).WithMessage(_ => AppText.Get("Catalog.PriceInvalid"));
        RuleFor(x => x.VipPrice).Must(p => p is null || Money.IsPositive(p.Value)).WithMessage(_ => AppText.Get("Catalog.PriceInvalid"));
        RuleFor(x => x.ResellerPrice).Must(p => p is null || Money.IsPositive(p.Value)).WithMessage(_ => AppText.Get("Catalog.PriceInvalid"));
        RuleFor(x => x.FaceValue).Must(v => v >= 0 && v <= 1_000_000 && decimal.Round(v, 2) == v).WithMessage(_ => AppText.Get("Catalog.FaceValueInvalid"));
        RuleFor(x => x.MaxPerOrder).InclusiveBetween(1, 1000).WithMessage(_ => AppText.Get("Catalog.LimitsInvalid"));
        RuleFor(x => x.MinPerOrder).InclusiveBetween(1, 1000).WithMessage(_ => AppText.Get("Catalog.LimitsInvalid"))
            .LessThanOrEqualTo(x => x.MaxPerOrder).WithMessage(_ => AppText.Get("Catalog.LimitsInvalid"));
        RuleFor(x => x.MaxPerBuyerPerDay).InclusiveBetween(1, 100_000).When(x => x.MaxPerBuyerPerDay is not null).WithMessage(_ => AppText.Get("Catalog.LimitsInvalid"));
        RuleFor(x => x.ValidityDays).InclusiveBetween(0, 3650).WithMessage(_ => AppText.Get("Catalog.NoticesInvalid"));
        RuleFor(x => x.DeviceLimit).InclusiveBetween(0, 3650).WithMessage(_ => AppText.Get("Catalog.NoticesInvalid"));
        RuleFor(x => x.Regions).NotEmpty().WithMessage(_ => AppText.Get("Catalog.NoticesInvalid")).MaximumLength(200).WithMessage(_ => AppText.Get("Catalog.NoticesInvalid"));
        RuleFor(x => x.Description).MaximumLength(5000);
        RuleFor(x => x.DescriptionEn).MaximumLength(5000);
    }
}

internal sealed class CreateProductHandler(ICardMallDb db, ICurrentUser currentUser, Forgetting forgetting, TimeProvider clock) : IRequestHandler<CreateProduct, CreatedProduct>
{
    public async Task<CreatedProduct> Handle(CreateProduct request, CancellationToken cancellationToken)
    {
        currentUser.RequireAnyRole(ShopRoles.Operator, ShopRoles.Admin);
        var category = await db.Categories.FirstOrDefaultAsync(c => c.Slug == request.Category, cancellationToken);
        if (category is null)
        {
            var slugs = await db.Categories.OrderBy(c => c.SortOrder).Select(c => c.Slug).ToListAsync(cancellationToken);
            throw Fail(nameof(request.Category), AppText.Format("Catalog.CategoryUnknown", string.Join(", ", slugs)));
        }
        if (await db.Products.AnyAsync(p => p.Sku == request.Sku, cancellationToken))
            throw Fail(nameof(request.Sku), AppText.Get("Catalog.SkuTaken"));

        var now = clock.GetUtcNow();
        var product = new Product(request.Sku, category.Id, now)
        {
            NameZh = request.Name.Trim(),
            NameEn = request.NameEn.Trim(),
            DescriptionZh = request.Description?.Trim() ?? "",
            DescriptionEn = request.DescriptionEn?.Trim() ?? "",
            FaceValue = request.FaceValue,
            Price = request.Price,
            VipPrice = request.VipPrice,
            ResellerPrice = request.ResellerPrice,
            MinPerOrder = request.MinPerOrder,
            MaxPerOrder = request.MaxPerOrder,
            MaxPerBuyerPerDay = request.MaxPerBuyerPerDay,
        };
        var notices = product.ReviseNotices(request.ValidityDays, request.DeviceLimit, request.Regions.Trim(),
            AppText.Get("Notices.RefundPolicy", CultureInfo.GetCultureInfo("zh-CN")),
            AppText.Get("Notices.RefundPolicy", CultureInfo.GetCultureInfo("en-US")), now);
        db.Products.Add(product);
        db.ProductNotices.Add(notices);
        forgetting.Forget(new Stale.Catalogue());
        return new CreatedProduct(product.Id, product.Sku, notices.Version);
    }

    private static ValidationException Fail(string field, string message) =>
        new([new FluentValidation.Results.ValidationFailure(field, message)]);
}

public sealed record CreatedProduct(Guid ProductId, string Sku, int NoticesVersion);

/// <summary>CNY amounts: positive, at most two decimals, and not absurd.</summary>
public static class Money
{
    public static bool IsPositive(decimal amount) => amount > 0 && amount <= 1_000_000 && decimal.Round(amount, 2) == amount;
}
