using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// The approval queue (待审批退款): payouts waiting above their requester's limit, oldest first, each saying
/// whether the caller may approve it — not their own request nor a payout on their own purchase, and only when
/// their limit covers everything paid or pending on the ticket and its order — and the latest decisions for context.
/// </summary>
public sealed record ListPendingPayouts : IRequest<PayoutQueue>;

internal sealed class ListPendingPayoutsHandler(ICardMallDb db, ICurrentUser currentUser, RemedyDesk remedies)
    : IRequestHandler<ListPendingPayouts, PayoutQueue>
{
    private const int MaxPending = 200;
    private const int RecentDecisions = 10;

    public async Task<PayoutQueue> Handle(ListPendingPayouts request, CancellationToken ct)
    {
        var me = currentUser.RequireAnyRole(ShopRoles.Supervisor, ShopRoles.Admin);
        var limit = remedies.CallerLimit();

        var pending = await Rows(db.Payouts.Where(p => p.Status == PayoutStatus.Pending).OrderBy(p => p.RequestedAt).Take(MaxPending))
            .ToListAsync(ct);
        var ticketIds = pending.Select(r => r.TicketId).Distinct().ToList();
        var committed = await db.Payouts.Where(p => ticketIds.Contains(p.TicketId) && (p.Status == PayoutStatus.Paid || p.Status == PayoutStatus.Pending))
            .GroupBy(p => p.TicketId).Select(g => new { g.Key, Sum = g.Sum(p => p.Amount) }).ToDictionaryAsync(g => g.Key, g => g.Sum, ct);
        var orderIds = pending.Select(r => r.OrderId).OfType<Guid>().Distinct().ToList();
        var onOrders = await db.Payouts.Where(p => p.OrderId != null && orderIds.Contains(p.OrderId.Value)
                                                   && (p.Status == PayoutStatus.Paid || p.Status == PayoutStatus.Pending))
            .GroupBy(p => p.OrderId!.Value).Select(g => new { g.Key, Sum = g.Sum(p => p.Amount) }).ToDictionaryAsync(g => g.Key, g => g.Sum, ct);

        var lines = pending.Select(r =>
        {
            // The approver's limit must cover the ticket and the order across all its tickets.
            var total = Math.Max(committed.GetValueOrDefault(r.TicketId), r.OrderId is { } o ? onOrders.GetValueOrDefault(o) : 0m);
            var ownPurchase = r.BuyerId == me;
            var own = r.RequestedById == me || ownPurchase;
            var covered = RemedyDesk.Covers(limit, total);
            var why = ownPurchase ? AppText.Get("Tickets.OwnPurchase")
                : own ? AppText.Get("Remedies.OwnRequest")
                : covered ? null
                : AppText.Format("Remedies.BeyondYourLimit", RemedyDesk.Yuan(total), RemedyDesk.Yuan(limit ?? 0));
            return new PendingPayout(r.PayoutId, r.TicketNo, r.Buyer, r.OrderNo, r.Kind, r.Amount, r.Reason, r.RequestedBy, own, r.RequestedAt,
                total, MayApprove: !own && covered, MayDecline: !own, why);
        }).ToList();

        var recent = await Rows(db.Payouts.Where(p => p.Status != PayoutStatus.Pending && p.DecidedBy != p.RequestedBy)
                .OrderByDescending(p => p.DecidedAt).Take(RecentDecisions))
            .ToListAsync(ct);
        var deciderIds = recent.Select(r => r.DecidedById).OfType<Guid>().Distinct().ToList();
        var deciders = await db.Users.Where(u => deciderIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.DisplayName != "" ? u.DisplayName : u.Email ?? "", ct);
        var decided = recent.Select(r => new DecidedPayout(r.TicketNo, r.Kind, r.Amount, r.Status, r.RequestedBy,
            r.DecidedById is { } d ? deciders.GetValueOrDefault(d) : null, r.DecidedAt, r.DecisionNote)).ToList();

        return new PayoutQueue(lines, decided, limit);
    }

    private IQueryable<Row> Rows(IQueryable<Payout> payouts) =>
        from p in payouts
        join t in db.Tickets on p.TicketId equals t.Id
        join b in db.Users on t.BuyerId equals b.Id
        join u in db.Users on p.RequestedBy equals u.Id
        join o in db.Orders on p.OrderId equals (Guid?)o.Id into orders
        from o in orders.DefaultIfEmpty()
        select new Row(p.Id, p.TicketId, p.OrderId, t.BuyerId, t.No, b.Email ?? "", o == null ? null : o.No, p.Kind, p.Amount, p.Reason, p.Status,
            p.RequestedBy, u.DisplayName != "" ? u.DisplayName : u.Email ?? "", p.RequestedAt, p.DecidedBy, p.DecidedAt, p.DecisionNote);

    private sealed record Row(Guid PayoutId, Guid TicketId, Guid? OrderId, Guid BuyerId, string TicketNo, string Buyer, string? OrderNo, PayoutKind Kind, decimal Amount,
        string Reason, PayoutStatus Status, Guid RequestedById, string RequestedBy, DateTimeOffset RequestedAt, Guid? DecidedById,
        DateTimeOffset? DecidedAt, string? DecisionNote);
}

/// <summary>The queue as the caller sees it; <see cref="MyLimit"/> null means no limit (Admin).</summary>
public sealed record PayoutQueue(IReadOnlyList<PendingPayout> Pending, IReadOnlyList<DecidedPayout> RecentlyDecided, decimal? MyLimit);

/// <summary>
/// One request waiting. <see cref="TicketTotal"/> is everything paid or pending on its ticket (or on its order across
/// all of the order's tickets, whichever is more), this one included —
/// what an approver's limit must cover. <see cref="WhyNot"/> says why the caller may not approve it.
/// </summary>
public sealed record PendingPayout(Guid PayoutId, string TicketNo, string Buyer, string? OrderNo, PayoutKind Kind, decimal Amount, string Reason,
    string RequestedBy, bool RequestedByMe, DateTimeOffset RequestedAt, decimal TicketTotal, bool MayApprove, bool MayDecline, string? WhyNot);

public sealed record DecidedPayout(string TicketNo, PayoutKind Kind, decimal Amount, PayoutStatus Status, string RequestedBy, string? DecidedBy,
    DateTimeOffset? DecidedAt, string? DecisionNote);
