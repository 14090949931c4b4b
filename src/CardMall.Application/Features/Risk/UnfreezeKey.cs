using CardMall.Application.Abstractions;
using CardMall.Application.Features.Notifications;
using CardMall.Application.Features.Tickets;
using CardMall.Application.Localization;
using CardMall.Domain.Audit;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Common;
using CardMall.Domain.Notifications;
using CardMall.Domain.Tickets;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Risk;

/// <summary>
/// An agent has checked a frozen key (the devices were the buyer's own, say) and gives it back: the key
/// returns to where it was before the freeze, the key's history says who and why, the open multi-device
/// ticket gets an internal note, the key's alerts count as dealt with, and the buyer hears the key is usable.
/// </summary>
public sealed record UnfreezeKey(Guid CardKeyId, string Reason) : IAuditedCommand<KeyUnfrozen>
{
    public AuditNote Audit(KeyUnfrozen result) => new(AuditActions.KeyUnfrozen, CardKeyId.ToString(), $"key now {result.State}; reason: {Reason}");
}

public sealed class UnfreezeKeyValidator : AbstractValidator<UnfreezeKey>
{
    public UnfreezeKeyValidator()
    {
        RuleFor(x => x.Reason).Must(r => !string.IsNullOrWhiteSpace(r)).WithMessage(_ => AppText.Get("Risk.UnfreezeReasonRequired"))
            .MaximumLength(500).WithMessage(_ => AppText.Format("Risk.TooLong", 500));
    }
}

internal sealed class UnfreezeKeyHandler(ICardMallDb db, ICurrentUser currentUser, TicketDesk desk, TimeProvider clock)
    : IRequestHandler<UnfreezeKey, KeyUnfrozen>
{
    public async Task<KeyUnfrozen> Handle(UnfreezeKey request, CancellationToken ct)
    {
        var me = currentUser.RequireAnyRole(TicketDesk.WorkRoles);
        // Locked like the risk rule locks it, so an unfreeze and a new activation event take turns.
        var key = await db.Locks.LockAsync<CardKey>(request.CardKeyId, ct)
            ?? throw new NotFoundException(AppText.Get("Risk.KeyNotFound"));
        if (key.State != CardKeyState.Frozen)
            throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Get("Risk.KeyNotFrozen"));
        // Unsold stock of a frozen batch (an incident) comes back with the batch, not one key at a time.
        if (key.OrderId is null && await db.KeyBatches.AnyAsync(b => b.Id == key.BatchId && b.IsFrozen, ct))
            throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Get("Risk.BatchStillFrozen"));

        var now = clock.GetUtcNow();
        var reason = request.Reason.Trim();
        db.CardKeyEvents.Add(key.Unfreeze(me, reason, now));

        var alerts = await db.RiskAlerts.Where(a => a.CardKeyId == key.Id && a.Kind == RecordActivationHandler.MultiDevice).ToListAsync(ct);
        foreach (var alert in alerts) alert.Acknowledge(me, now);

        var ticketIds = alerts.Where(a => a.TicketId is not null).Select(a => a.TicketId!.Value).Distinct().ToList();
        var openTicket = await db.Tickets.Where(t => ticketIds.Contains(t.Id) && TicketLifecycle.ActiveStatuses.Contains(t.Status))
            .OrderByDescending(t => t.CreatedAt).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(ct);
        if (openTicket is { } ticketId)
        {
            var ticket = await desk.LockForSystemAsync(ticketId, ct);
            ticket.RecordKeyUnfrozen(me, AppText.Format("Risk.UnfrozenNote", reason), now);
        }

        if (key.OrderId is { } orderId && await db.Orders.AsNoTracking().Where(o => o.Id == orderId).Select(o => new { o.UserId, o.No }).FirstOrDefaultAsync(ct) is { } order)
            db.Send(order.UserId, NotificationKind.KeyUnfrozen, "/Orders/" + order.No, now, email: true, order.No);
        return new KeyUnfrozen(key.Id, key.State);
    }
}

public sealed record KeyUnfrozen(Guid CardKeyId, CardKeyState State);
