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

internal sealed class GetStockOverviewHandler(ICardMallDb db, ICurrentUser currentUser, ICardKeyVault vault, IStockCounts stock, TimeProvider clock)
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

        // Exact counts kept by the database (key_counts), not a pass over every key.
        var countsOf = KeyStateCounts.ByProduct(await stock.ByStateAsync(null, null, cancellationToken));
        // Keys still sealed under an older master key: usually none, after a rotation until re-encrypted.
        var older = await db.CardKeys.CountAsync(k => k.KeyVersion < current, cancellationToken);

        // The level is what buyers see: expired keys are counted as available above but cannot be sold.
        var sellable = await stock.SellableAsync(null, clock.GetUtcNow(), cancellationToken);
        var rows = products.Select(p =>
        {
            var counts = countsOf.GetValueOrDefault(p.Id) ?? KeyStateCounts.None;
            return new ProductStock(p.Sku, english ? p.NameEn : p.NameZh, english ? p.CategoryEn : p.CategoryZh,
                p.IsActive, counts, StockLevels.Of(sellable.GetValueOrDefault(p.Id)));
        }).ToList();
        return new StockOverview(rows, older, current);
    }
}

public sealed record ProductStock(string Sku, string Name, string CategoryName, bool IsActive, KeyStateCounts Counts, StockLevel Level);

public sealed record StockOverview(IReadOnlyList<ProductStock> Products, int KeysUnderOlderMasterKey, int CurrentMasterKeyVersion);
