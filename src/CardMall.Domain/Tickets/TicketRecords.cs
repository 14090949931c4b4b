namespace CardMall.Domain.Tickets;

/// <summary>One key (order item) a ticket is about.</summary>
public sealed class TicketItem
{
    private TicketItem() { }

    public TicketItem(Guid ticketId, Guid orderId, Guid orderItemId)
    {
        TicketId = ticketId;
        OrderId = orderId;
        OrderItemId = orderItemId;
    }

    public Guid TicketId { get; private set; }
    public Guid OrderId { get; private set; }
    public Guid OrderItemId { get; private set; }
}

public enum MessageAuthor
{
    Buyer = 0,
    Staff = 1,
    System = 2,
}

/// <summary>
/// A line of the conversation. Internal notes are for staff only and never leave the workspace — every
/// buyer-facing read filters on <see cref="IsInternal"/>.
/// </summary>
public sealed class TicketMessage
{
    private TicketMessage() { }

    public TicketMessage(Guid ticketId, MessageAuthor author, Guid? authorId, string body, bool isInternal, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7();
        TicketId = ticketId;
        Author = author;
        AuthorId = authorId;
        Body = body;
        IsInternal = isInternal;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public Guid TicketId { get; private set; }
    public MessageAuthor Author { get; private set; }
    public Guid? AuthorId { get; private set; }
    public string Body { get; private set; } = "";
    public bool IsInternal { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
}

/// <summary>An evidence image (screenshot of the error), stored in PostgreSQL with the ticket.</summary>
public sealed class TicketAttachment
{
    private TicketAttachment() { }

    public TicketAttachment(Guid ticketId, Guid? messageId, string fileName, string contentType, byte[] content, Guid uploadedBy, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7();
        TicketId = ticketId;
        MessageId = messageId;
        FileName = fileName;
        ContentType = contentType;
        Content = content;
        SizeBytes = content.Length;
        UploadedBy = uploadedBy;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public Guid TicketId { get; private set; }
    public Guid? MessageId { get; private set; }
    public string FileName { get; private set; } = "";
    public string ContentType { get; private set; } = "";
    public int SizeBytes { get; private set; }
    public byte[] Content { get; private set; } = [];
    public Guid UploadedBy { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
}

/// <summary>What happened to a ticket, in order (the timeline). Kinds are stable names the pages word.</summary>
public static class TicketEventKinds
{
    public const string Created = "created";
    public const string Assigned = "assigned";
    public const string StatusChanged = "status_changed";
    public const string PriorityChanged = "priority_changed";
    public const string Replied = "replied";
    public const string BuyerReplied = "buyer_replied";
    public const string NoteAdded = "note_added";
    public const string EvidenceAdded = "evidence_added";
    public const string Urged = "urged";
    public const string Reopened = "reopened";
    public const string Rated = "rated";
    public const string KeyReplaced = "key_replaced";
    public const string Refunded = "refunded";
    public const string Compensated = "compensated";
    public const string RefundRequested = "refund_requested";
    public const string RefundDeclined = "refund_declined";
    public const string EscalatedToSupplier = "escalated_to_supplier";
    public const string SupplierReplied = "supplier_replied";
    public const string Resolved = "resolved";
    public const string Closed = "closed";
    public const string SlaWarning = "sla_warning";
    public const string SlaBreached = "sla_breached";
    public const string CheckInSent = "check_in_sent";
    /// <summary>A key of the ticket was checked (卡密核验); the detail is buyer-safe: replaced, guidance or person_checking.</summary>
    public const string Verified = "verified";
    /// <summary>The ticket joined a batch incident (detail: the incident number); staff only.</summary>
    public const string IncidentLinked = "incident_linked";
}

public sealed class TicketEvent
{
    private TicketEvent() { }

    public TicketEvent(Guid ticketId, string kind, DateTimeOffset at, Guid? actorId, string? detail, bool isPublic)
    {
        TicketId = ticketId;
        Kind = kind;
        At = at;
        ActorId = actorId;
        Detail = detail is { Length: > 500 } ? detail[..500] : detail;
        IsPublic = isPublic;
    }

    public long Id { get; private set; }
    public Guid TicketId { get; private set; }
    public string Kind { get; private set; } = "";
    public DateTimeOffset At { get; private set; }
    public Guid? ActorId { get; private set; }
    /// <summary>A short machine-readable detail (a status name, an amount, an order number) — never a key.</summary>
    public string? Detail { get; private set; }
    /// <summary>Shown on the buyer's timeline.</summary>
    public bool IsPublic { get; private set; }

    /// <summary>The detail as its typed value, for the pages to word.</summary>
    public TicketEventDetail? Details => TicketEventDetail.Read(Kind, Detail);
}
