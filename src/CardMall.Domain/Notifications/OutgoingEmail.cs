namespace CardMall.Domain.Notifications;

/// <summary>
/// The e-mail twin of a notification, queued in the same transaction (outbox) and sent by the dispatcher
/// afterwards, so a notification is never lost to a mail server that is down and never sent for a change
/// that was rolled back. It is worded when sent, in the recipient's language.
/// </summary>
public sealed class OutgoingEmail
{
    private OutgoingEmail() { }

    public OutgoingEmail(Guid notificationId, Guid userId, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7();
        NotificationId = notificationId;
        UserId = userId;
        CreatedAt = now;
        NextAttemptAt = now;
    }

    public Guid Id { get; private set; }
    public Guid NotificationId { get; private set; }
    public Guid UserId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }
    public string? LastError { get; private set; }

    public void MarkSent(DateTimeOffset now)
    {
        SentAt = now;
        Attempts++;
        LastError = null;
    }

    /// <summary>Backs off 1, 2, 4 … minutes, up to an hour.</summary>
    public void MarkFailed(string error, DateTimeOffset now)
    {
        Attempts++;
        LastError = error.Length > 500 ? error[..500] : error;
        NextAttemptAt = now.AddMinutes(Math.Min(60, Math.Pow(2, Attempts - 1)));
    }
}
