namespace CardMall.Domain.Tickets;

public enum PayoutKind
{
    /// <summary>Money back for the order, to the wallet; counts against the order's total.</summary>
    Refund = 0,
    /// <summary>Goodwill money to the wallet (补偿), not tied to the order's amount.</summary>
    Compensation = 1,
}

public enum PayoutStatus
{
    /// <summary>Above the requester's limit: waits in the approval queue.</summary>
    Pending = 0,
    Paid = 1,
    Declined = 2,
}

/// <summary>
/// A refund or compensation on a ticket. Paid at once within the requester's limit; above it, it waits for
/// somebody with a higher limit, who is never the requester. <see cref="RequestKey"/> (one per form shown)
/// makes a double-clicked button one payout.
/// </summary>
public sealed class Payout
{
    private Payout() { }

    public Payout(Guid ticketId, Guid? orderId, PayoutKind kind, decimal amount, string reason, Guid requestedBy, string requestKey, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7();
        TicketId = ticketId;
        OrderId = orderId;
        Kind = kind;
        Amount = amount;
        Reason = reason;
        RequestedBy = requestedBy;
        RequestKey = requestKey;
        RequestedAt = now;
        Status = PayoutStatus.Pending;
    }

    public Guid Id { get; private set; }
    public Guid TicketId { get; private set; }
    public Guid? OrderId { get; private set; }
    public PayoutKind Kind { get; private set; }
    public decimal Amount { get; private set; }
    public string Reason { get; private set; } = "";
    public PayoutStatus Status { get; private set; }
    public Guid RequestedBy { get; private set; }
    public string RequestKey { get; private set; } = "";
    public DateTimeOffset RequestedAt { get; private set; }
    public Guid? DecidedBy { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? DecisionNote { get; private set; }

    public void MarkPaid(Guid? decidedBy, DateTimeOffset now)
    {
        Status = PayoutStatus.Paid;
        DecidedBy = decidedBy;
        DecidedAt = now;
    }

    public void Decline(Guid decidedBy, string note, DateTimeOffset now)
    {
        Status = PayoutStatus.Declined;
        DecidedBy = decidedBy;
        DecidedAt = now;
        DecisionNote = note;
    }
}

/// <summary>A case raised with the key's supplier (上游工单), with its own due time for their answer.</summary>
public sealed class SupplierCase
{
    private SupplierCase() { }

    public SupplierCase(Guid ticketId, Guid supplierId, string question, Guid openedBy, DateTimeOffset now, DateTimeOffset dueAt)
    {
        Id = Guid.CreateVersion7();
        TicketId = ticketId;
        SupplierId = supplierId;
        Question = question;
        OpenedBy = openedBy;
        OpenedAt = now;
        DueAt = dueAt;
    }

    public Guid Id { get; private set; }
    public Guid TicketId { get; private set; }
    public Guid SupplierId { get; private set; }
    public string Question { get; private set; } = "";
    public Guid OpenedBy { get; private set; }
    public DateTimeOffset OpenedAt { get; private set; }
    public DateTimeOffset DueAt { get; private set; }
    public string? Reply { get; private set; }
    public DateTimeOffset? RepliedAt { get; private set; }
    public Guid? RecordedBy { get; private set; }

    public bool IsOpen => RepliedAt is null;

    public void RecordReply(string reply, Guid recordedBy, DateTimeOffset now)
    {
        Reply = reply;
        RepliedAt = now;
        RecordedBy = recordedBy;
    }
}

/// <summary>A job for supervisors, e.g. calling back a buyer who rated 1 or 2 (回访).</summary>
public sealed class FollowUpTask
{
    private FollowUpTask() { }

    public FollowUpTask(Guid ticketId, string reason, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7();
        TicketId = ticketId;
        Reason = reason;
        CreatedAt = now;
    }

    /// <summary>A follow-up of a live chat (a low rating of the person who answered); it names the chat, not a ticket.</summary>
    public static FollowUpTask ForChat(Guid chatId, string reason, DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(), ChatId = chatId, Reason = reason, CreatedAt = now };

    public Guid Id { get; private set; }
    /// <summary>The ticket followed up; null for a chat's follow-up. Exactly one of it and <see cref="ChatId"/> is set.</summary>
    public Guid? TicketId { get; private set; }
    public Guid? ChatId { get; private set; }
    /// <summary>low_rating</summary>
    public string Reason { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? DoneAt { get; private set; }
    public Guid? DoneBy { get; private set; }
    public string? Note { get; private set; }

    public void Complete(Guid by, string? note, DateTimeOffset now)
    {
        DoneAt = now;
        DoneBy = by;
        Note = note;
    }
}
