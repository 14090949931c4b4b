using CardMall.Application.Abstractions;
using CardMall.Application.Features.Accounts;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Notifications;

/// <summary>
/// How many of the caller's notifications are unread: the badge in every page's header, so it is one
/// COUNT query and nothing else. Nobody signed in has none.
/// </summary>
public sealed record CountUnread : IRequest<int>;

internal sealed class CountUnreadHandler(ICardMallDb db, ICurrentUser currentUser, UnreadCounts counts) : IRequestHandler<CountUnread, int>
{
    public async Task<int> Handle(CountUnread request, CancellationToken cancellationToken) =>
        currentUser.UserId is { } userId
            ? await counts.GetAsync(userId, () => db.Notifications.CountAsync(n => n.UserId == userId && n.ReadAt == null, cancellationToken))
            : 0;
}
