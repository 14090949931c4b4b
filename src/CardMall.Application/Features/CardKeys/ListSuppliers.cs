using CardMall.Application.Abstractions;
using CardMall.Domain.Accounts;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.CardKeys;

/// <summary>The suppliers keys come from, with how many batches and keys each has delivered.</summary>
public sealed record ListSuppliers : IRequest<IReadOnlyList<SupplierRow>>;

internal sealed class ListSuppliersHandler(ICardMallDb db, ICurrentUser currentUser) : IRequestHandler<ListSuppliers, IReadOnlyList<SupplierRow>>
{
    public async Task<IReadOnlyList<SupplierRow>> Handle(ListSuppliers request, CancellationToken cancellationToken)
    {
        currentUser.RequireAnyRole(ShopRoles.Operator, ShopRoles.Admin);
        // The webhook secret is not read at all: it is never shown again after it was entered.
        return await db.Suppliers.AsNoTracking()
            .OrderBy(s => s.Code)
            .Select(s => new SupplierRow(
                s.Id, s.Code, s.Name, s.CreatedAt,
                db.KeyBatches.Count(b => b.SupplierId == s.Id),
                db.KeyBatches.Where(b => b.SupplierId == s.Id).Sum(b => (int?)b.ImportedCount) ?? 0,
                s.Protocol, s.ApiBaseUrl))
            .ToListAsync(cancellationToken);
    }
}

/// <summary>Protocol and ApiBaseUrl: how the supplier's interface is called (an empty address is this app's own sandbox).</summary>
public sealed record SupplierRow(Guid Id, string Code, string Name, DateTimeOffset CreatedAt, int Batches, int KeysImported, string Protocol, string? ApiBaseUrl);
