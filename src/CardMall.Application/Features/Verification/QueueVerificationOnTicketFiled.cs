using CardMall.Application.Abstractions;
using CardMall.Application.Features.Tickets;
using CardMall.Domain.Verification;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Verification;

/// <summary>
/// A buyer says a key itself is bad (invalid, already used, will not activate): one pending check per key
/// of the ticket is queued in the filing transaction. Nobody outside is asked here — a slow supplier must
/// not hold up or fail the filing — the verification worker runs the checks within seconds of the commit.
/// </summary>
internal sealed class QueueVerificationOnTicketFiled(ICardMallDb db, TimeProvider clock) : INotificationHandler<TicketFiled>
{
    public const string Trigger = "ticket";

    public async Task Handle(TicketFiled notification, CancellationToken cancellationToken)
    {
        if (!notification.Category.IsKeyComplaint() || notification.OrderItemIds.Count == 0) return;

        var itemIds = notification.OrderItemIds.Distinct().ToList();
        var items = await db.OrderItems.AsNoTracking().Where(i => itemIds.Contains(i.Id))
            .Select(i => new { i.Id, i.CardKeyId }).ToListAsync(cancellationToken);
        // One instant for the whole round: the checks of one ticket are settled together (RunVerification).
        var now = clock.GetUtcNow();
        foreach (var item in items)
            db.KeyVerifications.Add(new KeyVerification(item.CardKeyId, notification.TicketId, item.Id, requestedBy: null, Trigger, now));
    }
}
