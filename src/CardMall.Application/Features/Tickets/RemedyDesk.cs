using System.Globalization;
using CardMall.Application.Abstractions;
using CardMall.Application.Features.Notifications;
using CardMall.Application.Features.Wallet;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Common;
using CardMall.Domain.Notifications;
using CardMall.Domain.Orders;
using CardMall.Domain.Tickets;
using CardMall.Domain.Wallets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// What the remedy use cases (replace, refund, compensate, approve, escalate) share: when a ticket still
/// takes remedies, how far the caller's payout limits go — per ticket, per order across all its tickets, and
/// per person per day, so that a limit cannot be split over many tickets — and how a payout is paid — order
/// row lock, what is left of the order, wallet lock, ledger line, refunded keys voided, timeline, buyer notice —
/// so that paying at once and paying on approval are the very same code.
/// </summary>
internal sealed class RemedyDesk(ICardMallDb db, ICurrentUser currentUser, TicketDesk desk, RefundedKeys refundedKeys, IOptions<AfterSalesOptions> options)
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

    /// <summary>What the caller may pay per ticket, and per order across its tickets; null means no limit (Admin).</summary>
    public decimal? CallerLimit() => LimitOf(currentUser.IsInRole, options.Value);

    public static decimal? LimitOf(Func<string, bool> isInRole, AfterSalesOptions limits)
    {
        if (isInRole(ShopRoles.Admin)) return null;
        if (isInRole(ShopRoles.Supervisor)) return limits.SupervisorPayoutLimit;
        if (isInRole(ShopRoles.Agent)) return limits.AgentPayoutLimit;
        return 0m;
    }

    /// <summary>What the caller may pay out in one shop day, over all tickets and orders; null means no limit (Admin).</summary>
    public decimal? CallerDailyLimit()
    {
        var limits = options.Value;
        if (currentUser.IsInRole(ShopRoles.Admin)) return null;
        if (currentUser.IsInRole(ShopRoles.Supervisor)) return limits.SupervisorDailyPayoutLimit;
        if (currentUser.IsInRole(ShopRoles.Agent)) return limits.AgentDailyPayoutLimit;
        return 0m;
    }

    public static bool Covers(decimal? limit, decimal total) => limit is null || total <= limit;

    /// <summary>Paid plus still pending on the ticket: what counts against the per-ticket limit.</summary>
    public async Task<decimal> CommittedOnTicketAsync(Guid ticketId, CancellationToken ct) =>
        await db.Payouts.Where(p => p.TicketId == ticketId && (p.Status == PayoutStatus.Paid || p.Status == PayoutStatus.Pending))
            .SumAsync(p => (decimal?)p.Amount, ct) ?? 0m;

    /// <summary>
    /// Paid plus still pending on the order across all of its tickets, refunds and compensation alike: what counts
    /// against the per-order limit. Read under the order's lock, so payouts on two tickets of one order take turns.
    /// </summary>
    public async Task<decimal> CommittedOnOrderAsync(Guid orderId, CancellationToken ct) =>
        await db.Payouts.Where(p => p.OrderId == orderId && (p.Status == PayoutStatus.Paid || p.Status == PayoutStatus.Pending))
            .SumAsync(p => (decimal?)p.Amount, ct) ?? 0m;

    /// <summary>
    /// What the staff member released today (shop day): paid at once within their limits, or paid by their
    /// approval. Read under <see cref="StaffAllowance.LockAsync"/>, so two payouts of one person take turns.
    /// </summary>
    public async Task<decimal> PaidTodayByAsync(Guid staffId, CancellationToken ct)
    {
        var since = ShopTime.StartOfDay(desk.Now);
        return await db.Payouts.Where(p => p.DecidedBy == staffId && p.Status == PayoutStatus.Paid && p.DecidedAt >= since)
            .SumAsync(p => (decimal?)p.Amount, ct) ?? 0m;
    }

    /// <summary>
    /// Whether the caller may release <paramref name="amount"/> alone: within their limit on the ticket and on the
    /// order (everything paid or pending there, this included) and within what is left of their day.
    /// </summary>
    public async Task<PayoutLimits> CheckLimitsAsync(Guid ticketId, Guid? orderId, decimal amount, bool alreadyCounted, CancellationToken ct)
    {
        var me = currentUser.RequireUserId();
        var extra = alreadyCounted ? 0m : amount;
        var onTicket = await CommittedOnTicketAsync(ticketId, ct) + extra;
        var onOrder = orderId is { } id ? await CommittedOnOrderAsync(id, ct) + extra : 0m;
        var today = await PaidTodayByAsync(me, ct) + amount;
        return new PayoutLimits(CallerLimit(), CallerDailyLimit(), onTicket, onOrder, today);
    }

    /// <summary>
    /// The order row, locked for the rest of the transaction: payouts from two tickets (or two agents) on one
    /// order take turns, so their sum can never pass the order's total nor split the per-order limit.
    /// </summary>
    public async Task<Order> LockOrderAsync(Guid orderId, CancellationToken ct) =>
        await db.Locks.LockAsync<Order>(orderId, ct)
        ?? throw new NotFoundException(AppText.Get("Orders.NotFound"));

    /// <summary>Payouts of the order (refunds and compensation) still waiting for approval: promised, so not payable a second time.</summary>
    public async Task<decimal> PendingOnOrderAsync(Guid orderId, Guid? except, CancellationToken ct) =>
        await db.Payouts.Where(p => p.OrderId == orderId && p.Status == PayoutStatus.Pending && p.Id != except)
            .SumAsync(p => (decimal?)p.Amount, ct) ?? 0m;

    /// <summary>
    /// Refuses a payout the locked order cannot take any more, saying what is left: refunds and compensation
    /// together never pass what the order cost, whoever approves them.
    /// </summary>
    public static void RequireWithinOrder(Order order, decimal amount, decimal pending)
    {
        var left = order.Refundable - pending;
        if (amount > left)
            throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Format("Remedies.RefundExceedsOrder",
                Yuan(Math.Max(0, left)), order.No, Yuan(order.PaidBack), Yuan(pending)));
    }

    /// <summary>
    /// Pays a payout into the buyer's wallet, booked against the order whose row the caller has locked
    /// (<paramref name="lockedOrder"/>): a refund as money back, compensation as goodwill within the order's total.
    /// A refund that covers the keys it is about takes them out of use (<see cref="RefundedKeys"/>).
    /// </summary>
    public async Task PayAsync(Ticket ticket, Payout payout, Order? lockedOrder, CancellationToken ct)
    {
        var actor = currentUser.RequireUserId();
        var now = desk.Now;
        var refund = payout.Kind == PayoutKind.Refund;
        if (lockedOrder is { } order)
        {
            RequireWithinOrder(order, payout.Amount, await PendingOnOrderAsync(order.Id, except: payout.Id, ct));
            if (refund) order.Refund(payout.Amount);
            else order.Compensate(payout.Amount);
        }
        else if (refund || payout.OrderId is not null)
        {
            throw new InvalidOperationException("A payout on an order is paid against its locked order.");
        }
        // A gateway order's refund goes back the way the money came (the refunder asks the gateway; the wallet when it
        // cannot, or when the buyer asked for it on the ticket).
        if (refund && lockedOrder is { IsPaidByGateway: true } paidByGateway)
            db.PaymentRefunds.Add(paidByGateway.RefundThroughGateway(OrderNumbers.NewRefundNo(now), payout.Amount, ticket.RefundToWallet, now));
        else
        {
            var wallet = await db.LockOrCreateAsync(ticket.BuyerId, now, ct);
            var ledgerKind = refund ? LedgerKind.Refund : LedgerKind.Compensation;
            db.LedgerEntries.Add(wallet.Post(ledgerKind, payout.Amount, ticket.No, now, actor, payout.Reason));
        }
        payout.MarkPaid(actor, now);
        if (refund) await refundedKeys.VoidCoveredAsync(ticket, lockedOrder!, payout.Amount, actor, ct);

        ticket.RecordPayout(payout.Kind, payout.Amount, actor, now);
    }

    /// <summary>
    /// Tells everybody who could approve the request — holders of a role whose limit covers the ticket's and the
    /// order's total — except the requester, who may not approve it anyway, and the buyer, who never handles their own purchase.
    /// </summary>
    public async Task NotifyApproversAsync(Ticket ticket, Payout payout, decimal needed, CancellationToken ct)
    {
        string[] roles = Covers(options.Value.SupervisorPayoutLimit, needed) ? [ShopRoles.Supervisor, ShopRoles.Admin] : [ShopRoles.Admin];
        var approvers = await (from ur in db.UserRoles
                               join r in db.Roles on ur.RoleId equals r.Id
                               where roles.Contains(r.Name!) && ur.UserId != payout.RequestedBy && ur.UserId != ticket.BuyerId
                               select ur.UserId).Distinct().ToListAsync(ct);
        foreach (var id in approvers)
            db.Send(id, NotificationKind.PayoutPending, ApprovalQueueLink, desk.Now, email: true, ticket.No, Plain(payout.Amount));
    }

    /// <summary>150.00 — amounts in events and notification arguments, worded by the reader's page.</summary>
    public static string Plain(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    public static string Yuan(decimal amount) => "¥" + amount.ToString("#,0.00", CultureInfo.InvariantCulture);
}

/// <summary>
/// Where a payout stands against the caller's limits. <see cref="OnTicket"/> and <see cref="OnOrder"/> are
/// everything paid or pending there with this payout; <see cref="Today"/> is what the caller released today with it.
/// </summary>
internal sealed record PayoutLimits(decimal? Limit, decimal? DailyLimit, decimal OnTicket, decimal OnOrder, decimal Today)
{
    public bool WithinTicketAndOrder => RemedyDesk.Covers(Limit, OnTicket) && RemedyDesk.Covers(Limit, OnOrder);

    public bool WithinDay => RemedyDesk.Covers(DailyLimit, Today);

    public bool CoverAll => WithinTicketAndOrder && WithinDay;

    /// <summary>What an approver's per-ticket limit must cover.</summary>
    public decimal Needed => Math.Max(OnTicket, OnOrder);
}
