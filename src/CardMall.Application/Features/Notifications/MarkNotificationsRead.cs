using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Common;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Notifications;

/// <summary>
/// The caller marks one of their notifications read (opening it: the result carries its link), or all
/// of them when <see cref="NotificationId"/> is null. Somebody else's notification is indistinguishable
/// from none.
/// </summary>
public sealed record MarkNotificationsRead(Guid? NotificationId = null) : ICommand<MarkedRead>;

internal sealed class MarkNotificationsReadHandler(ICardMallDb db, ICurrentUser currentUser, Forgetting forgetting, TimeProvider clock)
    : IRequestHandler<MarkNotificationsRead, MarkedRead>
{
    public async Task<MarkedRead> Handle(MarkNotificationsRead request, CancellationToken cancellationToken)
    {
        var userId = currentUser.RequireUserId();
        var now = clock.GetUtcNow();
        forgetting.Forget(new Stale.UnreadCount(userId));
        if (request.NotificationId is { } id)
        {
            var one = await db.Notifications.FirstOrDefaultAsync(n => n.Id == id && n.UserId == userId, cancellationToken)
                ?? throw new NotFoundException(AppText.Get("Notifications.NotFound"));
            var wasUnread = one.ReadAt is null;
            one.MarkRead(now);
            return new MarkedRead(wasUnread ? 1 : 0, one.Link);
        }
        var unread = await db.Notifications.Where(n => n.UserId == userId && n.ReadAt == null).ToListAsync(cancellationToken);
        foreach (var notification in unread)
            notification.MarkRead(now);
        return new MarkedRead(unread.Count, null);
    }
}

public sealed record MarkedRead(int Count, string? Link);
