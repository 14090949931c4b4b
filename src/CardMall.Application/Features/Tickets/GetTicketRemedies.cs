using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// What the remedies page needs to choose a remedy: the ticket's key facts, its keys (masked — opened only
/// to be masked, so not a reveal), what is left to refund on each order, what is already paid or pending on
/// the ticket against the caller's own limit, the stock a replacement would come from, and the supplier cases.
/// </summary>
public sealed record GetTicketRemedies(string TicketNo) : IRequest<TicketRemedies>;

internal sealed class GetTicketRemediesHandler(ICardMallDb db, ICurrentUser currentUser, ICardKeyVault vault, RemedyDesk remedies, IStockCounts stockCounts, TimeProvider clock)
    : IRequestHandler<GetTicketRemedies, TicketRemedies>
{
    public async Task<TicketRemedies> Handle(GetTicketRemedies request, CancellationToken ct)
    {
        var me = currentUser.RequireAnyRole(TicketDesk.WorkRoles);
        var english = VisitorLanguage.IsEnglish;
        var now = clock.GetUtcNow();
        var ticket = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.No == request.TicketNo, ct)
            ?? throw new NotFoundException(AppText.Get("Tickets.NotFound"));
        var buyer = await db.Users.AsNoTracking().Where(u => u.Id == ticket.BuyerId)
            .Select(u => new { u.Email, u.DisplayName }).FirstAsync(ct);
        var assignee = ticket.AssigneeId is { } assigneeId
            ? await db.Users.AsNoTracking().Where(u => u.Id == assigneeId).Select(u => u.DisplayName != "" ? u.DisplayName : u.Email).FirstOrDefaultAsync(ct)
            : null;

        var rows = await (from ti in db.TicketItems
                          join i in db.OrderItems on ti.OrderItemId equals i.Id
                          join o in db.Orders on i.OrderId equals o.Id
                          join k in db.CardKeys on i.CardKeyId equals k.Id
                          join p in db.Products on k.ProductId equals p.Id
                          where ti.TicketId == ticket.Id
                          orderby o.CreatedAt, i.CreatedAt, i.Id
                          select new { Item = i, OrderNo = o.No, Key = k, p.NameZh, p.NameEn }).AsNoTracking().ToListAsync(ct);
        var itemIds = rows.Select(r => r.Item.Id).ToList();
        var replacedBy = await db.OrderItems.AsNoTracking().Where(i => i.ReplacesItemId != null && itemIds.Contains(i.ReplacesItemId.Value))
            .Select(i => i.ReplacesItemId!.Value).ToListAsync(ct);
        var productIds = rows.Select(r => r.Key.ProductId).Distinct().ToList();
        var stock = await stockCounts.SellableAsync(productIds, now, ct);
        var keys = rows.Select(r => new RemedyKey(r.Item.Id, r.OrderNo, english ? r.NameEn : r.NameZh,
            // Opened only to be masked: the plain code goes no further than this line.
            CardKeyMask.Mask(vault.Open(r.Key).Code), r.Key.State, r.Item.ReplacesItemId is not null, replacedBy.Contains(r.Item.Id),
            stock.GetValueOrDefault(r.Key.ProductId))).ToList();

        var orderIds = rows.Select(r => r.Item.OrderId).Append(ticket.OrderId ?? Guid.Empty).Where(id => id != Guid.Empty).Distinct().ToList();
        var orders = await db.Orders.AsNoTracking().Where(o => orderIds.Contains(o.Id)).OrderBy(o => o.CreatedAt).ToListAsync(ct);
        // Compensation waiting for approval is promised against the order's total just as a refund is.
        var pendingByOrder = await db.Payouts.Where(p => p.OrderId != null && orderIds.Contains(p.OrderId.Value) && p.Status == PayoutStatus.Pending)
            .GroupBy(p => p.OrderId!.Value).Select(g => new { g.Key, Sum = g.Sum(p => p.Amount) }).ToDictionaryAsync(g => g.Key, g => g.Sum, ct);
        var orderLines = orders.Select(o =>
        {
            var pending = pendingByOrder.GetValueOrDefault(o.Id);
            return new RemedyOrder(o.No, o.Total, o.PaidBack, pending, Math.Max(0, o.Refundable - pending), o.Status);
        }).ToList();

        var payoutRows = await (from p in db.Payouts
                                join u in db.Users on p.RequestedBy equals u.Id
                                join d in db.Users on p.DecidedBy equals (Guid?)d.Id into deciders
                                from d in deciders.DefaultIfEmpty()
                                where p.TicketId == ticket.Id
                                orderby p.RequestedAt
                                select new
                                {
                                    Payout = p,
                                    RequestedBy = u.DisplayName != "" ? u.DisplayName : u.Email,
                                    DecidedBy = d == null ? null : d.DisplayName != "" ? d.DisplayName : d.Email,
                                }).AsNoTracking().ToListAsync(ct);
        var payouts = payoutRows.Select(r => new RemedyPayout(r.Payout.Id, r.Payout.Kind, r.Payout.Amount, r.Payout.Status, r.Payout.Reason,
            r.RequestedBy, r.Payout.RequestedBy == me, r.Payout.RequestedAt, r.DecidedBy, r.Payout.DecidedAt, r.Payout.DecisionNote,
            WithinRequesterLimit: r.Payout.Status == PayoutStatus.Paid && r.Payout.DecidedBy == r.Payout.RequestedBy)).ToList();
        var paid = payouts.Where(p => p.Status == PayoutStatus.Paid).Sum(p => p.Amount);
        var pendingOnTicket = payouts.Where(p => p.Status == PayoutStatus.Pending).Sum(p => p.Amount);

        var cases = await (from c in db.SupplierCases
                           join s in db.Suppliers on c.SupplierId equals s.Id
                           where c.TicketId == ticket.Id
                           orderby c.OpenedAt descending
                           select new RemedySupplierCase(c.Id, s.Name, c.Question, c.OpenedAt, c.DueAt, c.Reply, c.RepliedAt)).AsNoTracking().ToListAsync(ct);

        return new TicketRemedies(ticket.No, ticket.Status, ticket.Category, ticket.Priority, ticket.IsBreached, ticket.CreatedAt, ticket.ResolutionDueAt,
            string.IsNullOrEmpty(buyer.DisplayName) ? buyer.Email ?? "" : buyer.DisplayName, buyer.Email ?? "", assignee,
            RemedyDesk.TakesRemedies(ticket.Status), orderLines, keys, payouts, paid, pendingOnTicket, remedies.CallerLimit(), cases, now);
    }
}

/// <summary>The remedies page's data. <see cref="MyLimit"/> null means the caller has no limit (Admin).</summary>
public sealed record TicketRemedies(
    string TicketNo, TicketStatus Status, TicketCategory Category, TicketPriority Priority, bool IsBreached, DateTimeOffset CreatedAt,
    DateTimeOffset ResolutionDueAt, string BuyerName, string BuyerEmail, string? Assignee, bool TakesRemedies,
    IReadOnlyList<RemedyOrder> Orders, IReadOnlyList<RemedyKey> Keys, IReadOnlyList<RemedyPayout> Payouts,
    decimal PaidOnTicket, decimal PendingOnTicket, decimal? MyLimit, IReadOnlyList<RemedySupplierCase> SupplierCases, DateTimeOffset Now)
{
    /// <summary>What the caller can still pay on this ticket without approval; null when unlimited.</summary>
    public decimal? LeftWithinMyLimit => MyLimit is { } limit ? Math.Max(0, limit - PaidOnTicket - PendingOnTicket) : null;

    public bool HasOpenSupplierCase => SupplierCases.Any(c => c.IsOpen);
}

/// <summary><see cref="RefundableNow"/> is what is left after refunds paid and refunds waiting for approval.</summary>
public sealed record RemedyOrder(string OrderNo, decimal Total, decimal Refunded, decimal PendingRefunds, decimal RefundableNow,
    CardMall.Domain.Orders.OrderStatus Status);

/// <summary>A key of the ticket, masked (<see cref="CardKeyMask"/>: at most its last 4 characters). <see cref="InStock"/> counts fresh keys of its product.</summary>
public sealed record RemedyKey(Guid ItemId, string OrderNo, string ProductName, string MaskedCode, CardKeyState State, bool IsReplacement,
    bool WasReplaced, int InStock)
{
    public bool CanBeReplaced => State != CardKeyState.Void;
}

/// <summary><see cref="WithinRequesterLimit"/>: paid at once, nobody else had to decide.</summary>
public sealed record RemedyPayout(Guid PayoutId, PayoutKind Kind, decimal Amount, PayoutStatus Status, string Reason, string RequestedBy,
    bool RequestedByMe, DateTimeOffset RequestedAt, string? DecidedBy, DateTimeOffset? DecidedAt, string? DecisionNote, bool WithinRequesterLimit);

public sealed record RemedySupplierCase(Guid CaseId, string Supplier, string Question, DateTimeOffset OpenedAt, DateTimeOffset DueAt,
    string? Reply, DateTimeOffset? RepliedAt)
{
    public bool IsOpen => RepliedAt is null;
}
