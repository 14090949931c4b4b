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
    public static async Task<MemberTier> TierOfAsync(ICardMallDb db, ICurrentUser user, CancellationToken ct) =>
        user.UserId is { } id
            ? await db.Users.Where(u => u.Id == id).Select(u => u.Tier).FirstOrDefaultAsync(ct)
            : MemberTier.Regular;

    /// <summary>
    /// Keys that can be sold now, per product: available and not expired — exactly what checkout
    /// allocates, so "plenty" on a page never meets "out of stock" at the till.
    /// </summary>
    public static Task<Dictionary<Guid, int>> SellableCountsAsync(ICardMallDb db, IReadOnlyCollection<Guid>? productIds, DateTimeOffset now, CancellationToken ct)
    {
        var keys = db.CardKeys.Where(k => k.State == CardKeyState.Available && (k.ExpiresAt == null || k.ExpiresAt > now));
        if (productIds is not null) keys = keys.Where(k => productIds.Contains(k.ProductId));
        return keys.GroupBy(k => k.ProductId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
    }

    public static async Task<IReadOnlyList<ProductView>> ReadAsync(ICardMallDb db, IQueryable<Product> products, MemberTier tier, DateTimeOffset now, CancellationToken ct)
    {
        var english = VisitorLanguage.IsEnglish;
        var rows = await (from p in products
                          join c in db.Categories on p.CategoryId equals c.Id
                          join n in db.ProductNotices on new { p.Id, Version = p.NoticesVersion } equals new { Id = n.ProductId, n.Version }
                          orderby c.SortOrder, p.Price, p.Sku
                          select new { p, c, n }).AsNoTracking().ToListAsync(ct);
        var ids = rows.Select(r => r.p.Id).ToList();
        var stock = await SellableCountsAsync(db, ids, now, ct);
        return rows.Select(r =>
        {
            var available = stock.GetValueOrDefault(r.p.Id);
            return new ProductView(r.p.Sku, r.p.Name(english), r.p.Description(english), r.c.Slug, r.c.Name(english),
                r.p.FaceValue, r.p.PriceFor(tier), r.p.Price, available, StockLevels.Of(available),
                r.p.MinPerOrder, r.p.MaxPerOrder, r.p.MaxPerBuyerPerDay,
                new NoticesView(r.n.ValidityDays, r.n.DeviceLimit, SplitRegions(r.n.Regions), r.n.RefundPolicy(english), r.n.Version),
                r.p.IsActive);
        }).ToList();
    }

    public static IReadOnlyList<string> SplitRegions(string regions) =>
        regions.Split([',', '，', '、'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
