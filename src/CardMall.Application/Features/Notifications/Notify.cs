using CardMall.Application.Abstractions;
using CardMall.Domain.Accounts;
using CardMall.Domain.Notifications;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Notifications;

/// <summary>
/// The one way use cases tell somebody something: a notification in their centre and, when it matters
/// enough for e-mail, its twin in the outbox — both in the caller's transaction.
/// </summary>
internal static class Notify
{
    public static Notification Send(this ICardMallDb db, Guid userId, NotificationKind kind, string? link, DateTimeOffset now, bool email, params string[] args)
    {
        var notification = new Notification(userId, kind, link, now, args);
        db.Notifications.Add(notification);
        if (email) db.OutgoingEmails.Add(new OutgoingEmail(notification.Id, userId, now));
        return notification;
    }

    /// <summary>Tells everybody holding one of the roles (supervisors about a breach, approvers about a refund).</summary>
    public static async Task SendToRolesAsync(this ICardMallDb db, string[] roles, NotificationKind kind, string? link, DateTimeOffset now, bool email,
        CancellationToken ct, params string[] args)
    {
        var userIds = await (from ur in db.UserRoles
                             join r in db.Roles on ur.RoleId equals r.Id
                             where roles.Contains(r.Name!)
                             select ur.UserId).Distinct().ToListAsync(ct);
        foreach (var id in userIds) db.Send(id, kind, link, now, email, args);
    }

    public static readonly string[] Supervisors = [ShopRoles.Supervisor, ShopRoles.Admin];
}
