namespace CardMall.Domain.Notifications;

/// <summary>
/// A message in a user's notification centre. Stored as a kind plus arguments, and worded in the
/// reader's language when shown.
/// </summary>
public sealed class Notification
{
    private Notification() { }

    public Notification(Guid userId, NotificationKind kind, string? link, DateTimeOffset now, params string[] args)
    {
        Id = Guid.CreateVersion7();
        UserId = userId;
        Kind = kind.ToString();
        Link = link;
        Args = string.Join('\u001f', args);
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public Guid UserId { get; private set; }
    /// <summary>A <see cref="NotificationKind"/> by name.</summary>
    public string Kind { get; private set; } = "";
    /// <summary>Arguments for the worded text, separated by the unit separator.</summary>
    public string Args { get; private set; } = "";
    public string? Link { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? ReadAt { get; private set; }

    public IReadOnlyList<string> ArgList => Args.Length == 0 ? [] : Args.Split('\u001f');

    public void MarkRead(DateTimeOffset now) => ReadAt ??= now;
}
