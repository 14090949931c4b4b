using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Catalog;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.CardKeys;

/// <summary>
/// Stock per product (every product, on sale or not): keys per state and the level buyers see. Any
/// staff member may read it (agents answer "when is it back?"); changing stock is for operators.
/// Also says how many keys are still sealed under an older master key, for the re-encryption command.
/// </summary>
public sealed record GetStockOverview : IRequest<StockOverview>;

internal sealed class GetStockOverviewHandler(ICardMallDb db, ICurrentUser currentUser, ICardKeyVault vault, TimeProvider clock)
    : IRequestHandler<GetStockOverview, StockOverview>
{
    public async Task<StockOverview> Handle(GetStockOverview request, CancellationToken cancellationToken)
    {
        currentUser.RequireAnyRole([.. ShopRoles.Staff]);
        var english = VisitorLanguage.IsEnglish;
        var current = vault.CurrentVersion;
        var products = await (from p in db.Products.AsNoTracking()
                              join c in db.Categories on p.CategoryId equals c.Id
                              orderby c.SortOrder, p.Sku
                              select new { p.Id, p.Sku, p.NameZh, p.NameEn, CategoryZh = c.NameZh, CategoryEn = c.NameEn, p.IsActive })
            .ToListAsync(cancellationToken);

        // One pass over card_keys for both the per-state counts and the old-master-key count.
        var groups = await db.CardKeys
            .GroupBy(k => new { k.ProductId, k.State, Old = k.KeyVersion < current })
            .Select(g => new { g.Key.ProductId, g.Key.State, g.Key.Old, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var countsOf = groups.GroupBy(g => g.ProductId)
            .ToDictionary(g => g.Key, g => KeyStateCounts.From(g.Select(x => (x.State, x.Count))));

        // The level is what buyers see: expired keys are counted as available above but cannot be sold.
        var sellable = await Catalog.ProductReading.SellableCountsAsync(db, null, clock.GetUtcNow(), cancellationToken);
        var rows = products.Select(p =>
        {
            var counts = countsOf.GetValueOrDefault(p.Id) ?? KeyStateCounts.None;
            return new ProductStock(p.Sku, english ? p.NameEn : p.NameZh, english ? p.CategoryEn : p.CategoryZh,
                p.IsActive, counts, StockLevels.Of(sellable.GetValueOrDefault(p.Id)));
        }).ToList();
        return new StockOverview(rows, groups.Where(g => g.Old).Sum(g => g.Count), current);
    }
}

public sealed record ProductStock(string Sku, string Name, string CategoryName, bool IsActive, KeyStateCounts Counts, StockLevel Level);

public sealed record StockOverview(IReadOnlyList<ProductStock> Products, int KeysUnderOlderMasterKey, int CurrentMasterKeyVersion);
