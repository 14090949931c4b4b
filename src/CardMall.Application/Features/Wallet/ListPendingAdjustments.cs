using CardMall.Application.Abstractions;
using CardMall.Domain.Accounts;
using CardMall.Domain.Wallets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Wallet;

/// <summary>The adjustments waiting for a second person, oldest first, with whether the caller may decide each one.</summary>
public sealed record ListPendingAdjustments : IRequest<IReadOnlyList<PendingAdjustment>>;

internal sealed class ListPendingAdjustmentsHandler(ICardMallDb db, ICurrentUser currentUser)
    : IRequestHandler<ListPendingAdjustments, IReadOnlyList<PendingAdjustment>>
{
    public async Task<IReadOnlyList<PendingAdjustment>> Handle(ListPendingAdjustments request, CancellationToken cancellationToken)
    {
        var me = currentUser.RequireAnyRole(ShopRoles.Operator, ShopRoles.Admin);
        return await (from a in db.WalletAdjustments.AsNoTracking()
                      join u in db.Users on a.UserId equals u.Id
                      join r in db.Users on a.RequestedBy equals r.Id
                      where a.Status == WalletAdjustmentStatus.PendingApproval
                      orderby a.RequestedAt
                      select new PendingAdjustment(a.Id, u.Email ?? "", a.Amount, a.Reason, r.Email ?? "", a.RequestedAt, a.RequestedBy != me))
            .Take(200)
            .ToListAsync(cancellationToken);
    }
}

public sealed record PendingAdjustment(Guid AdjustmentId, string CustomerEmail, decimal Amount, string Reason, string RequestedBy, DateTimeOffset RequestedAt, bool MayDecide);
