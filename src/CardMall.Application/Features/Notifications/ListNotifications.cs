using CardMall.Application.Abstractions;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Notifications;

/// <summary>
/// The caller's notification centre, newest first. Each notification comes back as its kind and
/// arguments; the page words it in the reader's language.
/// </summary>
public sealed record ListNotifications(int Take = 50) : IRequest<IReadOnlyList<NotificationView>>;

public sealed class ListNotificationsValidator : AbstractValidator<ListNotifications>
{
    public ListNotificationsValidator() => RuleFor(x => x.Take).InclusiveBetween(1, 200);
}

internal sealed class ListNotificationsHandler(ICardMallDb db, ICurrentUser currentUser)
    : IRequestHandler<ListNotifications, IReadOnlyList<NotificationView>>
{
    public async Task<IReadOnlyList<NotificationView>> Handle(ListNotifications request, CancellationToken cancellationToken)
    {
        var userId = currentUser.RequireUserId();
        var rows = await db.Notifications.AsNoTracking()
            .Where(n => n.UserId == userId && !CardMall.Application.Accounts.AccountMail.EmailOnly.Contains(n.Kind))
            .OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id)
            .Take(request.Take)
            .ToListAsync(cancellationToken);
        return rows.Select(n => new NotificationView(n.Id, n.Kind, n.ArgList, n.Link, n.CreatedAt, n.ReadAt is null)).ToList();
    }
}

public sealed record NotificationView(Guid NotificationId, string Kind, IReadOnlyList<string> Args, string? Link, DateTimeOffset CreatedAt, bool IsUnread);
