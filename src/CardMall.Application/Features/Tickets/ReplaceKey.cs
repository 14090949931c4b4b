using CardMall.Application.Abstractions;
using CardMall.Application.Features.Notifications;
using CardMall.Application.Features.Orders;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Audit;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Common;
using CardMall.Domain.Orders;
using CardMall.Domain.Tickets;
using CardMall.Domain.Verification;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// An agent replaces one faulty key of a ticket: a fresh key of the same product is taken from stock the
/// way a purchase takes one (<see cref="KeyAllocation"/>), sold to the same order as a new item that
/// records which item it replaces, and the old key is voided for good. The buyer finds the new key on the
/// order page — the notice says where, never what. A second click finds the old key already void and is
/// refused (409), so one item is replaced once; a refunded key (void) or a refunded order is never replaced.
/// Replacements by hand count against the person's daily limit (<see cref="AfterSalesOptions"/>).
/// </summary>
public sealed record ReplaceKey(string TicketNo, Guid ItemId) : IAuditedCommand<KeyReplaced>
{
    public AuditNote Audit(KeyReplaced result) => new(AuditActions.KeyReplaced, TicketNo, $"order {result.OrderNo}: item {result.ReplacedItemId} replaced by item {result.NewItemId}");
}

public sealed class ReplaceKeyValidator : AbstractValidator<ReplaceKey>
{
    public ReplaceKeyValidator()
    {
        RuleFor(x => x.TicketNo).NotEmpty().MaximumLength(24).WithMessage(_ => AppText.Get("Tickets.NotFound"));
        RuleFor(x => x.ItemId).NotEmpty().WithMessage(_ => AppText.Get("Remedies.ChooseKey"));
    }
}

internal sealed class ReplaceKeyHandler(
    ICardMallDb db, ICurrentUser currentUser, TicketDesk desk, KeyReplacement replacement, IRowLocks locks, IOptions<AfterSalesOptions> options)
    : IRequestHandler<ReplaceKey, KeyReplaced>
{
    public async Task<KeyReplaced> Handle(ReplaceKey request, CancellationToken ct)
    {
        var ticket = await desk.LockForStaffAsync(request.TicketNo.Trim(), ct);
        var actor = currentUser.RequireUserId();
        RemedyDesk.RequireTakesRemedies(ticket);

        var onTicket = await db.TicketItems.AnyAsync(ti => ti.TicketId == ticket.Id && ti.OrderItemId == request.ItemId, ct);
        if (!onTicket)
            throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(request.ItemId), AppText.Get("Remedies.ItemNotOnTicket"))]);
        await RequireWithinDailyLimitAsync(actor, ct);
        return await replacement.ReplaceAsync(ticket, request.ItemId, actor, ct);
    }

    /// <summary>
    /// A fresh key is worth as much as a refund, so replacements by hand count against a daily limit per person
    /// like payouts do (counted under the person's allowance lock, so racing tabs cannot both take the last one).
    /// Beyond it somebody with a higher limit replaces; Admins have none. The automatic verification and an
    /// incident's remedy are limited by their own rules, not by this.
    /// </summary>
    private async Task RequireWithinDailyLimitAsync(Guid actor, CancellationToken ct)
    {
        var limits = options.Value;
        int? limit = currentUser.IsInRole(ShopRoles.Admin) ? null
            : currentUser.IsInRole(ShopRoles.Supervisor) ? limits.SupervisorDailyReplacementLimit
            : limits.AgentDailyReplacementLimit;
        if (limit is not { } max) return;

        await locks.StaffAllowanceAsync(actor, ct);
        var since = ShopTime.StartOfDay(desk.Now);
        var today = await db.TicketEvents.CountAsync(e => e.ActorId == actor && e.Kind == TicketEventKinds.KeyReplaced && e.At >= since, ct);
        if (today >= max)
            throw new DomainRuleException(ErrorCodes.Forbidden, AppText.Format("Remedies.ReplacementLimitReached", today, max));
    }
}

/// <summary>
/// Replaces one key of a ticket, for an agent's click, the automatic verification and an incident's bulk
/// remedy alike. The caller holds the ticket's lock and has checked the item is on the ticket.
/// </summary>
internal sealed class KeyReplacement(ICardMallDb db, ICurrentUser currentUser, TimeProvider clock, RemedyDesk remedies)
{
    /// <summary>The voided key's event detail, followed by the ticket number (pages word it in the reader's language).</summary>
    public const string VoidedOnTicket = "replaced on ticket ";

    /// <summary>Replaces the key and puts it on the ticket's timeline, or refuses (409, or out of stock) saying why.</summary>
    /// <param name="actor">The staff member; null when the system replaces on its own.</param>
    public async Task<KeyReplaced> ReplaceAsync(Ticket ticket, Guid itemId, Guid? actor, CancellationToken ct)
    {
        var attempt = await TryReplaceAsync(ticket, itemId, actor, ct);
        if (attempt.Refused is { } refusal)
            throw refusal == ReplacementRefusal.OutOfStock
                ? new DomainRuleException(ErrorCodes.OutOfStock, AppText.Get("Remedies.OutOfStock"))
                : new DomainRuleException(ErrorCodes.InvalidState, AppText.Get("Remedies." + refusal));
        ticket.RecordKeyReplaced(attempt.Replaced!.OrderNo, currentUser.UserId, clock.GetUtcNow());
        return attempt.Replaced;
    }

    /// <summary>
    /// Replaces the key, or says why it cannot be (a refunded order, a key replaced or refunded already, no stock), with
    /// nothing changed then. The ticket's timeline is the caller's: the verification puts its check there first.
    /// </summary>
    public async Task<ReplacementAttempt> TryReplaceAsync(Ticket ticket, Guid itemId, Guid? actor, CancellationToken ct)
    {
        var item = await db.OrderItems.AsNoTracking().FirstAsync(i => i.Id == itemId, ct);

        // The order first, as a refund takes it: a replacement and a refund of the same order take turns, so a
        // refunded order never gets a fresh key, and a refund in full sees (and voids) every key handed out.
        var order = await remedies.LockOrderAsync(item.OrderId, ct);
        if (order.Status == OrderStatus.Refunded) return new(null, ReplacementRefusal.OrderRefunded);

        // The old key's row is locked before it is judged: the same item on two tickets (or two agents on
        // one) cannot both see it unvoided and both replace it. A void key was replaced or refunded already.
        var oldKey = await db.Locks.CardKeyAsync(item.CardKeyId, ct);
        if (oldKey.State == CardKeyState.Void)
        {
            var replaced = await db.OrderItems.AnyAsync(i => i.ReplacesItemId == item.Id, ct);
            return new(null, replaced ? ReplacementRefusal.AlreadyReplaced : ReplacementRefusal.KeyVoid);
        }

        var now = clock.GetUtcNow();
        if ((await db.TakeAvailableAsync(oldKey.ProductId, 1, now, ct)).FirstOrDefault() is not { } freshKey)
            return new(null, ReplacementRefusal.OutOfStock);

        db.CardKeyEvents.Add(freshKey.Sell(order.Id, order.UserId, now));
        var newItem = new OrderItem(order.Id, freshKey.Id, now, replacesItemId: item.Id);
        db.OrderItems.Add(newItem);
        db.CardKeyEvents.Add(oldKey.Void(actor, VoidedOnTicket + ticket.No, now));
        // The new key belongs to the ticket too: if it fails as well, it can be replaced from here.
        db.TicketItems.Add(new TicketItem(ticket.Id, order.Id, newItem.Id));
        return new(new KeyReplaced(ticket.No, order.No, item.Id, newItem.Id), null);
    }
}

/// <summary>A replacement made, or why not.</summary>
internal sealed record ReplacementAttempt(KeyReplaced? Replaced, ReplacementRefusal? Refused);

/// <summary>Which item was replaced by which; the new key itself is only ever shown on the buyer's order page.</summary>
public sealed record KeyReplaced(string TicketNo, string OrderNo, Guid ReplacedItemId, Guid NewItemId);
