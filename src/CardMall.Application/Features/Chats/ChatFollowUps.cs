using System.Globalization;
using CardMall.Application.Abstractions;
using CardMall.Application.Features.Notifications;
using CardMall.Application.Features.Tickets;
using CardMall.Domain.Chats;
using CardMall.Domain.Notifications;
using CardMall.Domain.Tickets;
using MediatR;

namespace CardMall.Application.Features.Chats;

/// <summary>
/// A chat rated 1 or 2 gets the low-rating follow-up built for tickets: a call-back (回访) on the supervisors' list,
/// naming the chat, and the supervisors told — in the same transaction as the rating, as for a ticket.
/// </summary>
internal sealed class ChatFollowUps(ICardMallDb db, ChatDesk desk) : INotificationHandler<DomainEventNotification<BuyerRatedChat>>
{
    public async Task Handle(DomainEventNotification<BuyerRatedChat> n, CancellationToken ct)
    {
        if (n.Event.Score > TicketNotices.FollowUpAtOrBelow) return;
        db.FollowUpTasks.Add(FollowUpTask.ForChat(n.Event.Chat.Id, "low_rating", desk.Now));
        await db.SendToRolesAsync(Notify.Supervisors, NotificationKind.ChatLowRating, "/Admin/FollowUps", desk.Now, email: true, ct,
            n.Event.Score.ToString(CultureInfo.InvariantCulture));
    }
}
