namespace CardMall.Application.Abstractions;

/// <summary>
/// Hands one e-mail to the mail system (an SMTP server, or a pickup directory in development). Throws
/// when it could not; the outbox then tries again later.
/// </summary>
public interface IMailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}

/// <summary>One e-mail: a plain-text body always, an HTML body when the sender has one.</summary>
public sealed record EmailMessage(string To, string? ToName, string Subject, string TextBody, string? HtmlBody = null)
{
    // The address is personal data: it stays out of logs.
    public override string ToString() => $"EmailMessage({Subject.Length} chars subject)";
}
