using CardMall.Application.Abstractions;
using CardMall.Application.Features.Notifications;
using CardMall.Domain.Notifications;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;

namespace CardMall.Application.Accounts;

/// <summary>
/// The e-mails about an account's own address. Until the address is confirmed, the confirmation link is the
/// only e-mail an account receives (the outbox gives the others up; they stay in the notification centre), so
/// somebody who registers with another person's address cannot have the shop write to that person.
/// </summary>
internal static class AccountMail
{
    /// <summary>The link that confirms the address; e-mail only, never shown in the notification centre.</summary>
    public const NotificationKind ConfirmEmail = NotificationKind.ConfirmEmail;

    /// <summary>Somebody tried to register with an address that already has an account: its owner is told, nobody else.</summary>
    public const NotificationKind RegistrationAttempt = NotificationKind.RegistrationAttempt;

    /// <summary>Kinds the notification centre does not list (a confirmation link there would confirm nothing).</summary>
    public static readonly string[] EmailOnly = [nameof(NotificationKind.ConfirmEmail)];

    public static async Task SendConfirmationAsync(ICardMallDb db, UserManager<ShopUser> users, ShopUser user, DateTimeOffset now)
    {
        var token = await users.GenerateEmailConfirmationTokenAsync(user);
        var code = WebEncoders.Base64UrlEncode(System.Text.Encoding.UTF8.GetBytes(token));
        // Born read, so the unread badge never counts a notification the centre does not list.
        db.Send(user.Id, ConfirmEmail, $"/Account/ConfirmEmail?userId={user.Id}&code={code}", now, email: true).MarkRead(now);
    }
}
