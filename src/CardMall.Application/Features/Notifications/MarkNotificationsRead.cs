using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Common;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Notifications;

/// <summary>
/// The caller marks one of their notifications read, or all of them when <see cref="NotificationId"/>
/// is null. Somebody else's notification is indistinguishable from none.
/// </summary>
public sealed record MarkNotificationsRead(Guid? NotificationId = null) : ICommand<MarkedRead>;

internal sealed class MarkNotificationsReadHandler(ICardMallDb db, ICurrentUser currentUser, TimeProvider clock)
    : IRequestHandler<MarkNotificationsRead, MarkedRead>
{
    public async Task<MarkedRead> Handle(MarkNotificationsRead request, CancellationToken cancellationToken)
    {
        var userId = currentUser.RequireUserId();
        var mine = db.Notifications.Where(n => n.UserId == userId);
        if (request.NotificationId is { } id)
        {
            mine = mine.Where(n => n.Id == id);
            if (!await mine.AnyAsync(cancellationToken))
                throw new NotFoundException(AppText.Get("Notifications.NotFound"));
        }
        var unread = await mine.Where(n => n.ReadAt == null).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var notification in unread)
            notification.MarkRead(now);
        return new MarkedRead(unread.Count);
    }
}

public sealed record MarkedRead(int Count);
