using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.CardKeys;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.CardKeys;

/// <summary>
/// Imported batches, newest first, optionally of one product: where they came from, who imported
/// them, and how many of their keys are in each state now.
/// </summary>
public sealed record ListBatches(string? Sku = null, int Page = 1, int PageSize = 50) : IRequest<Paged<BatchRow>>;

public sealed class ListBatchesValidator : AbstractValidator<ListBatches>
{
    public ListBatchesValidator()
    {
        RuleFor(x => x.Page).InclusiveBetween(1, 100_000).WithMessage(_ => AppText.Get("Admin.Batches.PageInvalid"));
        RuleFor(x => x.PageSize).InclusiveBetween(1, 200).WithMessage(_ => AppText.Get("Admin.Batches.PageInvalid"));
    }
}

internal sealed class ListBatchesHandler(ICardMallDb db, ICurrentUser currentUser, IStockCounts stock) : IRequestHandler<ListBatches, Paged<BatchRow>>
{
    public async Task<Paged<BatchRow>> Handle(ListBatches request, CancellationToken cancellationToken)
    {
        currentUser.RequireAnyRole(ShopRoles.Operator, ShopRoles.Admin);
        var english = VisitorLanguage.IsEnglish;
        var batches = db.KeyBatches.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(request.Sku))
        {
            var sku = request.Sku.Trim();
            batches = batches.Where(b => db.Products.Any(p => p.Id == b.ProductId && p.Sku == sku));
        }
        var total = await batches.CountAsync(cancellationToken);
        var rows = await (from b in batches
                          join p in db.Products on b.ProductId equals p.Id
                          join s in db.Suppliers on b.SupplierId equals s.Id
                          join u in db.Users on b.ImportedByUserId equals u.Id into importers
                          from u in importers.DefaultIfEmpty()
                          orderby b.ImportedAt descending, b.Id
                          select new { b, p.Sku, p.NameZh, p.NameEn, SupplierCode = s.Code, SupplierName = s.Name, ImportedBy = u == null ? null : u.Email })
            .Skip((request.Page - 1) * request.PageSize).Take(request.PageSize)
            .ToListAsync(cancellationToken);

        var ids = rows.Select(r => r.b.Id).ToList();
        var countsOf = KeyStateCounts.ByBatch(await stock.ByStateAsync(null, ids, cancellationToken));

        var items = rows.Select(r => new BatchRow(
            r.b.Id, r.Sku, english ? r.NameEn : r.NameZh, r.SupplierCode, r.SupplierName, r.b.UnitCost, r.b.ExpiresAt,
            r.b.ImportedAt, r.ImportedBy ?? "", r.b.LineCount, r.b.ImportedCount, r.b.RejectedCount, r.b.IsFrozen,
            countsOf.GetValueOrDefault(r.b.Id) ?? KeyStateCounts.None)).ToList();
        return new Paged<BatchRow>(items, request.Page, request.PageSize, total);
    }
}

public sealed record BatchRow(
    Guid Id, string ProductSku, string ProductName, string SupplierCode, string SupplierName, decimal UnitCost,
    DateTimeOffset? ExpiresAt, DateTimeOffset ImportedAt, string ImportedBy, int LineCount, int ImportedCount, int RejectedCount,
    bool IsFrozen, KeyStateCounts Counts);

