using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Catalog;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Catalog;

/// <summary>
/// Every product, also those taken off sale, as an operator manages them: both languages' names, all
/// tier prices, limits, the current notices version and the stock.
/// </summary>
public sealed record ListProductsForStaff : IRequest<IReadOnlyList<StaffProductRow>>;

internal sealed class ListProductsForStaffHandler(ICardMallDb db, ICurrentUser currentUser, IStockCounts stockCounts, TimeProvider clock) : IRequestHandler<ListProductsForStaff, IReadOnlyList<StaffProductRow>>
{
    public async Task<IReadOnlyList<StaffProductRow>> Handle(ListProductsForStaff request, CancellationToken cancellationToken)
    {
        currentUser.RequireAnyRole(ShopRoles.Operator, ShopRoles.Admin);
        var english = VisitorLanguage.IsEnglish;
        var rows = await (from p in db.Products.AsNoTracking()
                          join c in db.Categories on p.CategoryId equals c.Id
                          orderby c.SortOrder, p.Sku
                          select new { p, CategoryZh = c.NameZh, CategoryEn = c.NameEn })
            .ToListAsync(cancellationToken);
        var stock = await stockCounts.SellableAsync(null, clock.GetUtcNow(), cancellationToken);
        return rows.Select(r =>
        {
            var p = r.p;
            var available = stock.GetValueOrDefault(p.Id);
            return new StaffProductRow(p.Sku, p.NameZh, p.NameEn, english ? r.CategoryEn : r.CategoryZh,
                p.FaceValue, p.Price, p.VipPrice, p.ResellerPrice, p.MinPerOrder, p.MaxPerOrder, p.MaxPerBuyerPerDay,
                p.ValidityDays, p.DeviceLimit, p.Regions, p.IsActive, p.NoticesVersion, available, StockLevels.Of(available), p.UpdatedAt);
        }).ToList();
    }
}

public sealed record StaffProductRow(
    string Sku, string NameZh, string NameEn, string CategoryName, decimal FaceValue, decimal Price, decimal? VipPrice,
    decimal? ResellerPrice, int MinPerOrder, int MaxPerOrder, int? MaxPerBuyerPerDay, int ValidityDays, int DeviceLimit,
    string Regions, bool IsActive, int NoticesVersion, int Available, StockLevel StockLevel, DateTimeOffset UpdatedAt);
