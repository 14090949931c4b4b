using CardMall.Application.Features.Accounts;
using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Catalog;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Catalog;

/// <summary>A product as a buyer sees it: names in their language, their tier's price, stock level, notices.</summary>
public sealed record ProductView(
    string Sku, string Name, string Description, string CategorySlug, string CategoryName,
    decimal FaceValue, decimal Price, decimal ListPrice, int Stock, StockLevel StockLevel,
    int MinPerOrder, int MaxPerOrder, int? MaxPerBuyerPerDay,
    NoticesView Notices, bool IsActive);

public sealed record NoticesView(int ValidityDays, int DeviceLimit, IReadOnlyList<string> Regions, string RefundPolicy, int Version);

/// <summary>Reads products with their stock and the caller's price; shared by the catalog queries.</summary>
internal static class ProductReading
{
    public static async Task<MemberTier> TierOfAsync(ICardMallDb db, ICurrentUser user, BuyerTiers tiers, CancellationToken ct) =>
        user.UserId is { } id
            ? await tiers.GetAsync(id, () => db.Users.Where(u => u.Id == id).Select(u => u.Tier).FirstOrDefaultAsync(ct))
            : MemberTier.Regular;

    /// <summary>
    /// The products with the stock buyers see: keys that can be sold (available and not expired — exactly
    /// what checkout allocates), as counted a moment ago (<see cref="IShelfStock"/>).
    /// </summary>
    public static IReadOnlyList<ProductView> View(IEnumerable<ShelfProduct> products, MemberTier tier, IReadOnlyDictionary<Guid, int> stock)
    {
        var english = VisitorLanguage.IsEnglish;
        return products.Select(r =>
        {
            var available = stock.GetValueOrDefault(r.Product.Id);
            return new ProductView(r.Product.Sku, r.Product.Name(english), r.Product.Description(english), r.Category.Slug, r.Category.Name(english),
                r.Product.FaceValue, r.Product.PriceFor(tier), r.Product.Price, available, StockLevels.Of(available),
                r.Product.MinPerOrder, r.Product.MaxPerOrder, r.Product.MaxPerBuyerPerDay,
                new NoticesView(r.Notices.ValidityDays, r.Notices.DeviceLimit, SplitRegions(r.Notices.Regions), r.Notices.RefundPolicy(english), r.Notices.Version),
                r.Product.IsActive);
        }).ToList();
    }

    public static IReadOnlyList<string> SplitRegions(string regions) =>
        regions.Split([',', '，', '、'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
