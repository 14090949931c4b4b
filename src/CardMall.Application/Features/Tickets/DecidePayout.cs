using CardMall.Application.Abstractions;
using CardMall.Application.Features.Notifications;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Audit;
using CardMall.Domain.Common;
using CardMall.Domain.Notifications;
using CardMall.Domain.Tickets;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// A supervisor or admin approves or declines a payout waiting above its requester's limit. Nobody decides
/// their own request nor a payout on their own purchase; approving needs a limit that covers everything paid or
/// pending on the ticket and on the order, and room in the approver's own daily limit, and pays
/// exactly as <see cref="IssuePayout"/> does (the order's refundable amount checked again under its lock).
/// Declining needs a note. Both the requester and the buyer hear of the decision. A payout is decided once.
/// </summary>
public sealed record DecidePayout(Guid PayoutId, bool Approve, string? Note) : IAuditedCommand<PayoutDecided>
{
    public AuditNote Audit(PayoutDecided result) => new(AuditActions.PayoutDecided, result.TicketNo, $"payout {PayoutId}: {result.Kind} {result.Amount:0.00} {result.Status}" + (string.IsNullOrWhiteSpace(Note) ? "" : $"; note: {Note.Trim()}"));
}

public sealed class DecidePayoutValidator : AbstractValidator<DecidePayout>
{
    public DecidePayoutValidator()
    {
        RuleFor(x => x.PayoutId).NotEmpty().WithMessage(_ => AppText.Get("Remedies.PayoutNotFound"));
        RuleFor(x => x.Note).Must(n => !string.IsNullOrWhiteSpace(n)).When(x => !x.Approve)
            .WithMessage(_ => AppText.Get("Remedies.DeclineNoteRequired"));
        RuleFor(x => x.Note).MaximumLength(500).WithMessage(_ => AppText.Format("Remedies.TextTooLong", 500));
    }
}

internal sealed class DecidePayoutHandler(ICardMallDb db, ICurrentUser currentUser, TicketDesk desk, RemedyDesk remedies)
    : IRequestHandler<DecidePayout, PayoutDecided>
{
    public async Task<PayoutDecided> Handle(DecidePayout request, CancellationToken ct)
    {
        // Agents never decide payouts; saying so before anything is looked up reveals nothing.
        var decider = currentUser.RequireUserId();
        if (!currentUser.IsInRole(ShopRoles.Supervisor) && !currentUser.IsInRole(ShopRoles.Admin))
            throw new DomainRuleException(ErrorCodes.Forbidden, AppText.Get("Remedies.OnlyApproversDecide"));

        var ticketNo = await (from p in db.Payouts
                              join t in db.Tickets on p.TicketId equals t.Id
                              where p.Id == request.PayoutId
                              select t.No).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException(AppText.Get("Remedies.PayoutNotFound"));
        // Same lock order as IssuePayout (ticket, then order, then wallet): two deciders, or a decision racing
        // a new payout on the ticket, take turns.
        var ticket = await desk.LockForStaffAsync(ticketNo, ct);
        var payout = await db.Payouts.FirstAsync(p => p.Id == request.PayoutId, ct);

        if (payout.Status != PayoutStatus.Pending)
            throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Get("Remedies.AlreadyDecided"));
        if (payout.RequestedBy == decider)
            throw new DomainRuleException(ErrorCodes.Forbidden, AppText.Get("Remedies.OwnRequest"));

        var amount = RemedyDesk.Plain(payout.Amount);
        if (request.Approve)
        {
            // The approver's day, then the order (the same lock order as IssuePayout). Everything paid or pending
            // on the ticket and on the order, this request included, must be within the approver's limit, and the
            // amount within what is left of the approver's day.
            await db.Locks.StaffAllowanceAsync(decider, ct);
            var order = payout.OrderId is { } orderId ? await remedies.LockOrderAsync(orderId, ct) : null;
            var limits = await remedies.CheckLimitsAsync(ticket.Id, order?.Id, payout.Amount, alreadyCounted: true, ct);
            if (!limits.WithinTicketAndOrder)
                throw new DomainRuleException(ErrorCodes.Forbidden,
                    AppText.Format("Remedies.BeyondYourLimit", RemedyDesk.Yuan(limits.Needed), RemedyDesk.Yuan(limits.Limit ?? 0)));
            if (!limits.WithinDay)
                throw new DomainRuleException(ErrorCodes.Forbidden,
                    AppText.Format("Remedies.BeyondYourDailyLimit", RemedyDesk.Yuan(limits.Today - payout.Amount), RemedyDesk.Yuan(limits.DailyLimit ?? 0)));

            await remedies.PayAsync(ticket, payout, order, ct);
            db.Send(payout.RequestedBy, NotificationKind.PayoutApproved, TicketDesk.StaffLink(ticket.No) + "/Remedies", desk.Now, email: false, ticket.No, amount);
        }
        else
        {
            payout.Decline(decider, request.Note!.Trim(), desk.Now);
            ticket.RecordPayoutDeclined(payout.Kind, payout.Amount, desk.CallerId, desk.Now);
            db.Send(payout.RequestedBy, NotificationKind.PayoutDeclined, TicketDesk.StaffLink(ticket.No) + "/Remedies", desk.Now, email: false, ticket.No, amount);
        }
        return new PayoutDecided(payout.Id, ticket.No, payout.Kind, payout.Amount, payout.Status);
    }
}

public sealed record PayoutDecided(Guid PayoutId, string TicketNo, PayoutKind Kind, decimal Amount, PayoutStatus Status);
