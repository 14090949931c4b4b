using System.Globalization;
using CardMall.Application.Abstractions;
using CardMall.Application.Features.Notifications;
using CardMall.Application.Features.Wallet;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Common;
using CardMall.Domain.Orders;
using CardMall.Domain.Tickets;
using CardMall.Domain.Wallets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// What the remedy use cases (replace, refund, compensate, approve, escalate) share: when a ticket still
/// takes remedies, how far the caller's payout limit goes, and how a payout is paid — order row lock,
/// refundable check, wallet lock, ledger line, timeline, buyer notice — so that paying at once and paying
/// on approval are the very same code.
/// </summary>
internal sealed class RemedyDesk(ICardMallDb db, ICurrentUser currentUser, TicketDesk desk, IOptions<AfterSalesOptions> options)
{
    public const string ApprovalQueueLink = "/Admin/Payouts";

    /// <summary>
    /// Remedies are given on active tickets and on resolved ones (an agent may settle a refund right after
    /// resolving, before the buyer confirms); a closed ticket must be reopened first, so that whatever is
    /// paid is on a case somebody is looking at.
    /// </summary>
    public static void RequireTakesRemedies(Ticket ticket)
    {
        if (ticket.Status == TicketStatus.Closed)
            throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Get("Remedies.TicketClosed"));
    }

    public static bool TakesRemedies(TicketStatus status) => status != TicketStatus.Closed;

    /// <summary>What the caller may pay per ticket alone; null means no limit (Admin). Agents and supervisors by settings.</summary>
    public decimal? CallerLimit() => LimitOf(currentUser.IsInRole, options.Value);

    public static decimal? LimitOf(Func<string, bool> isInRole, AfterSalesOptions limits)
    {
        if (isInRole(ShopRoles.Admin)) return null;
        if (isInRole(ShopRoles.Supervisor)) return limits.SupervisorPayoutLimit;
        if (isInRole(ShopRoles.Agent)) return limits.AgentPayoutLimit;
        return 0m;
    }

    public static bool Covers(decimal? limit, decimal total) => limit is null || total <= limit;

    /// <summary>Paid plus still pending on the ticket: what counts against the per-ticket limit.</summary>
    public async Task<decimal> CommittedOnTicketAsync(Guid ticketId, CancellationToken ct) =>
        await db.Payouts.Where(p => p.TicketId == ticketId && (p.Status == PayoutStatus.Paid || p.Status == PayoutStatus.Pending))
            .SumAsync(p => (decimal?)p.Amount, ct) ?? 0m;

    /// <summary>
    /// The order row, locked for the rest of the transaction: refunds from two tickets (or two agents) on one
    /// order take turns, so their sum can never pass the order's total.
    /// </summary>
    public async Task<Order> LockOrderAsync(Guid orderId, CancellationToken ct) =>
        (await db.Orders.FromSql($"SELECT * FROM orders WHERE id = {orderId} FOR UPDATE").ToListAsync(ct)).FirstOrDefault()
        ?? throw new NotFoundException(AppText.Get("Orders.NotFound"));

    /// <summary>Refunds of the order still waiting for approval: promised, so not refundable a second time.</summary>
    public async Task<decimal> PendingRefundsAsync(Guid orderId, Guid? except, CancellationToken ct) =>
        await db.Payouts.Where(p => p.OrderId == orderId && p.Kind == PayoutKind.Refund && p.Status == PayoutStatus.Pending && p.Id != except)
            .SumAsync(p => (decimal?)p.Amount, ct) ?? 0m;

    /// <summary>Refuses a refund the locked order cannot take any more, saying what is left.</summary>
    public static void RequireRefundable(Order order, decimal amount, decimal pendingRefunds)
    {
        var left = order.Refundable - pendingRefunds;
        if (amount > left)
            throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Format("Remedies.RefundExceedsOrder",
                Yuan(Math.Max(0, left)), order.No, Yuan(order.RefundedAmount), Yuan(pendingRefunds)));
    }

    /// <summary>
    /// Pays a payout into the buyer's wallet. A refund is booked against the order, whose row the caller has
    /// locked (<paramref name="lockedOrder"/>); compensation is goodwill and touches no order.
    /// </summary>
    public async Task PayAsync(Ticket ticket, Payout payout, Order? lockedOrder, CancellationToken ct)
    {
        var actor = currentUser.RequireUserId();
        var now = desk.Now;
        if (payout.Kind == PayoutKind.Refund)
        {
            var order = lockedOrder ?? throw new InvalidOperationException("A refund is paid against its locked order.");
            RequireRefundable(order, payout.Amount, await PendingRefundsAsync(order.Id, except: payout.Id, ct));
            order.Refund(payout.Amount);
        }
        var wallet = await db.LockOrCreateAsync(ticket.BuyerId, now, ct);
        var ledgerKind = payout.Kind == PayoutKind.Refund ? LedgerKind.Refund : LedgerKind.Compensation;
        db.LedgerEntries.Add(wallet.Post(ledgerKind, payout.Amount, ticket.No, now, actor, payout.Reason));
        payout.MarkPaid(actor, now);

        var amount = Plain(payout.Amount);
        var paid = payout.Kind == PayoutKind.Refund;
        desk.Record(ticket, paid ? TicketEventKinds.Refunded : TicketEventKinds.Compensated, amount, isPublic: true);
        desk.NotifyBuyer(ticket, paid ? "TicketRefunded" : "TicketCompensated", amount);
    }

    /// <summary>
    /// Tells everybody who could approve the request — holders of a role whose limit covers the ticket's
    /// total — except the requester, who may not approve it anyway.
    /// </summary>
    public async Task NotifyApproversAsync(Ticket ticket, Payout payout, decimal ticketTotal, CancellationToken ct)
    {
        string[] roles = Covers(options.Value.SupervisorPayoutLimit, ticketTotal) ? [ShopRoles.Supervisor, ShopRoles.Admin] : [ShopRoles.Admin];
        var approvers = await (from ur in db.UserRoles
                               join r in db.Roles on ur.RoleId equals r.Id
                               where roles.Contains(r.Name!) && ur.UserId != payout.RequestedBy
                               select ur.UserId).Distinct().ToListAsync(ct);
        foreach (var id in approvers)
            db.Send(id, "PayoutPending", ApprovalQueueLink, desk.Now, email: true, ticket.No, Plain(payout.Amount));
    }

    /// <summary>150.00 — amounts in events and notification arguments, worded by the reader's page.</summary>
    public static string Plain(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    public static string Yuan(decimal amount) => "¥" + amount.ToString("#,0.00", CultureInfo.InvariantCulture);
}
