namespace CardMall.Application.Abstractions;

/// <summary>
/// Words a notification (its kind and arguments) in a given language. The texts live with the pages'
/// texts (Notification.&lt;Kind&gt; in the web project's resources), so the notification centre and the
/// e-mail say the same thing.
/// </summary>
public interface INotificationWording
{
    /// <param name="culture">zh-CN or en-US; anything else falls back to Chinese.</param>
    /// <param name="recipientName">The greeting's name; empty greets without one.</param>
    /// <param name="absoluteLink">Where the e-mail points to, already absolute; null for none.</param>
    WordedEmail Email(string kind, IReadOnlyList<string> args, string culture, string recipientName, string? absoluteLink);
}

public sealed record WordedEmail(string Subject, string TextBody, string HtmlBody);
