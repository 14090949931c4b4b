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

    /// <summary>
    /// Attempts before the outbox gives an e-mail up: with the back-off below about six hours of trying. An
    /// address that still refuses after that (gone, full, blocked) is not tried again forever; the notification
    /// itself stays in the buyer's inbox in the shop.
    /// </summary>
    public const int MaxAttempts = 12;

    public Guid Id { get; private set; }
    public Guid NotificationId { get; private set; }
    public Guid UserId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }
    public string? LastError { get; private set; }

    /// <summary>When the outbox stopped trying (<see cref="MaxAttempts"/> failures); never claimed again.</summary>
    public DateTimeOffset? GaveUpAt { get; private set; }

    /// <summary>
    /// Taken by a dispatcher for one attempt: counted now, and not due again until <paramref name="lease"/> has
    /// passed, so no other dispatcher takes it while this one talks to the mail server with no transaction open.
    /// An attempt that never reports back (the process died) is tried again when the lease runs out.
    /// </summary>
    public void Claim(DateTimeOffset now, TimeSpan lease)
    {
        Attempts++;
        NextAttemptAt = now + lease;
    }

    public void MarkSent(DateTimeOffset now)
    {
        SentAt = now;
        LastError = null;
    }

    /// <summary>No use trying again (the account has no e-mail address): given up at once.</summary>
    public void GiveUp(string error, DateTimeOffset now)
    {
        LastError = error;
        GaveUpAt = now;
    }

    /// <summary>The claimed attempt failed: backs off 1, 2, 4 … minutes, up to an hour.</summary>
    public void MarkFailed(string error, DateTimeOffset now)
    {
        LastError = error.Length > 500 ? error[..500] : error;
        NextAttemptAt = now.AddMinutes(Math.Min(60, Math.Pow(2, Attempts - 1)));
        if (Attempts >= MaxAttempts) GaveUpAt = now;
    }
}
