using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Audit;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// An agent gives money back on a ticket: a refund (to the wallet, against the order) or goodwill compensation
/// (补偿). Refunds and compensation together never pass what the order cost. Within the caller's limits — per
/// ticket, per order across all its tickets (everything paid or pending there plus this), and per person per
/// shop day — it is paid at once; above any of them, it waits for somebody else with a higher limit. One <see cref="RequestKey"/> per form shown makes five clicks one
/// payout: the ticket row is locked first, so repeats queue and find the first one's payout.
/// </summary>
/// <param name="OrderNo">Which order to refund; only needed when the ticket spans several orders (a bulk ticket).</param>
public sealed record IssuePayout(string TicketNo, PayoutKind Kind, decimal Amount, string Reason, string RequestKey, string? OrderNo = null)
    : IAuditedCommand<PayoutIssued>
{
    public AuditNote Audit(PayoutIssued result) => new(AuditActions.PayoutIssued, TicketNo, $"{Kind} {result.Amount:0.00}: {result.Status}{(result.Created ? "" : " (repeated request)")}; reason: {Reason}");
}

public sealed class IssuePayoutValidator : AbstractValidator<IssuePayout>
{
    /// <summary>No single payout is larger than this; a typo of three extra zeros is caught here.</summary>
    public const decimal MaxAmount = 100_000m;

    public IssuePayoutValidator()
    {
        RuleFor(x => x.TicketNo).NotEmpty().MaximumLength(24).WithMessage(_ => AppText.Get("Tickets.NotFound"));
        RuleFor(x => x.Kind).IsInEnum().WithMessage(_ => AppText.Get("Remedies.KindUnknown"));
        RuleFor(x => x.Amount).Must(a => a > 0 && a <= MaxAmount && decimal.Round(a, 2) == a)
            .WithMessage(_ => AppText.Format("Remedies.AmountInvalid", RemedyDesk.Yuan(MaxAmount)));
        RuleFor(x => x.Reason).Must(r => !string.IsNullOrWhiteSpace(r)).WithMessage(_ => AppText.Get("Remedies.ReasonRequired"))
            .MaximumLength(500).WithMessage(_ => AppText.Format("Remedies.TextTooLong", 500));
        RuleFor(x => x.RequestKey).Must(k => k is { Length: >= 1 and <= 64 } && !string.IsNullOrWhiteSpace(k))
            .WithMessage(_ => AppText.Get("Remedies.RequestKeyInvalid"));
        RuleFor(x => x.OrderNo).MaximumLength(24).WithMessage(_ => AppText.Get("Remedies.OrderNotOnTicket"));
    }
}

internal sealed class IssuePayoutHandler(ICardMallDb db, ICurrentUser currentUser, TicketDesk desk, RemedyDesk remedies)
    : IRequestHandler<IssuePayout, PayoutIssued>
{
    public async Task<PayoutIssued> Handle(IssuePayout request, CancellationToken ct)
    {
        // The ticket lock comes first and is held to the end: every payout on this ticket — the same
        // request repeated, or different ones racing — is decided one after the other.
        var ticket = await desk.LockForStaffAsync(request.TicketNo.Trim(), ct);
        var requester = currentUser.RequireUserId();

        var key = request.RequestKey.Trim();
        var earlier = await db.Payouts.FirstOrDefaultAsync(p => p.TicketId == ticket.Id && p.RequestKey == key, ct);
        if (earlier is not null)
        {
            if (earlier.Kind != request.Kind || earlier.Amount != request.Amount)
                throw new DomainRuleException(ErrorCodes.IdempotencyKeyReused, AppText.Get("Remedies.RequestKeyReused"));
            return PayoutIssued.From(earlier, created: false);
        }

        RemedyDesk.RequireTakesRemedies(ticket);

        // Then the requester's day, then the order: payouts by one person, and payouts on one order from any of
        // its tickets, are counted one after the other — a limit cannot be split over tickets or racing tabs.
        await db.Locks.StaffAllowanceAsync(requester, ct);
        Domain.Orders.Order? order = null;
        if (await PayoutOrderIdAsync(ticket, request.OrderNo, ct) is { } orderId)
        {
            order = await remedies.LockOrderAsync(orderId, ct);
            RemedyDesk.RequireWithinOrder(order, request.Amount, await remedies.PendingOnOrderAsync(order.Id, except: null, ct));
        }

        var limits = await remedies.CheckLimitsAsync(ticket.Id, order?.Id, request.Amount, alreadyCounted: false, ct);
        var payout = new Payout(ticket.Id, order?.Id, request.Kind, request.Amount, request.Reason.Trim(), requester, key, desk.Now);
        db.Payouts.Add(payout);

        if (limits.CoverAll)
        {
            await remedies.PayAsync(ticket, payout, order, ct);
        }
        else
        {
            // Above a limit: promised to nobody yet, so the buyer's timeline does not show it.
            ticket.RecordPayoutRequested(payout.Kind, payout.Amount, desk.CallerId, desk.Now);
            await remedies.NotifyApproversAsync(ticket, payout, limits.Needed, ct);
        }
        return PayoutIssued.From(payout, created: true);
    }

    /// <summary>
    /// The order the payout is booked against: the ticket's order, or for a bulk ticket the one of its orders the
    /// request names. Compensation is booked against an order too, so that together with refunds it never passes
    /// what the order cost. Only a ticket about no order at all (a system case) pays compensation without one.
    /// </summary>
    private async Task<Guid?> PayoutOrderIdAsync(Ticket ticket, string? orderNo, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(orderNo))
        {
            if (ticket.OrderId is { } own) return own;
            if (!ticket.IsBulk && !await db.TicketItems.AnyAsync(ti => ti.TicketId == ticket.Id, ct)) return null;
            throw new ValidationException(
                [new FluentValidation.Results.ValidationFailure(nameof(IssuePayout.OrderNo), AppText.Get("Remedies.OrderRequired"))]);
        }
        var no = orderNo.Trim();
        var orderId = await (from o in db.Orders
                             where o.No == no && o.UserId == ticket.BuyerId
                                   && (o.Id == ticket.OrderId || db.TicketItems.Any(ti => ti.TicketId == ticket.Id && ti.OrderId == o.Id))
                             select (Guid?)o.Id).FirstOrDefaultAsync(ct);
        return orderId ?? throw new ValidationException(
            [new FluentValidation.Results.ValidationFailure(nameof(IssuePayout.OrderNo), AppText.Get("Remedies.OrderNotOnTicket"))]);
    }
}

/// <summary>
/// The payout as it stands: <see cref="PayoutStatus.Paid"/> when it was within the caller's limit,
/// <see cref="PayoutStatus.Pending"/> when it waits for approval. <see cref="Created"/> is false for a
/// repeat of the same request key.
/// </summary>
public sealed record PayoutIssued(Guid PayoutId, PayoutKind Kind, decimal Amount, PayoutStatus Status, bool Created)
{
    internal static PayoutIssued From(Payout p, bool created) => new(p.Id, p.Kind, p.Amount, p.Status, created);
}
