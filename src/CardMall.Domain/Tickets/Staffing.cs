namespace CardMall.Domain.Tickets;

/// <summary>The SLA targets for one priority, editable by supervisors (defaults in the migration).</summary>
public sealed class SlaPolicy
{
    private SlaPolicy() { }

    public SlaPolicy(TicketPriority priority, int firstResponseMinutes, int resolutionMinutes, DateTimeOffset now)
    {
        Priority = priority;
        FirstResponseMinutes = firstResponseMinutes;
        ResolutionMinutes = resolutionMinutes;
        UpdatedAt = now;
    }

    public TicketPriority Priority { get; private set; }
    public int FirstResponseMinutes { get; private set; }
    public int ResolutionMinutes { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public Guid? UpdatedBy { get; private set; }

    public SlaTargets Targets => new(FirstResponseMinutes, ResolutionMinutes);

    public void Change(int firstResponseMinutes, int resolutionMinutes, Guid by, DateTimeOffset now)
    {
        FirstResponseMinutes = firstResponseMinutes;
        ResolutionMinutes = resolutionMinutes;
        UpdatedBy = by;
        UpdatedAt = now;
    }
}

/// <summary>An agent's duty switch and skills (the ticket categories they handle).</summary>
public sealed class AgentProfile
{
    private AgentProfile() { }

    public AgentProfile(Guid userId, DateTimeOffset now)
    {
        UserId = userId;
        UpdatedAt = now;
    }

    public Guid UserId { get; private set; }
    public bool OnDuty { get; set; }
    public List<TicketCategory> Skills { get; set; } = [];
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>一对一售后管家: the agent who takes all of a new buyer's tickets while on duty.</summary>
public sealed class DedicatedAgent
{
    private DedicatedAgent() { }

    public DedicatedAgent(Guid buyerId, Guid agentId, DateTimeOffset now)
    {
        BuyerId = buyerId;
        AgentId = agentId;
        AssignedAt = now;
    }

    public Guid BuyerId { get; private set; }
    public Guid AgentId { get; private set; }
    public DateTimeOffset AssignedAt { get; private set; }
}

/// <summary>
/// A reply agents start from: an empathetic opening, then plain words. Placeholders {buyer}, {orderNo},
/// {maskedKey} and {dueAt} are filled in on the ticket page before the agent edits and sends it.
/// </summary>
public sealed class ReplyTemplate
{
    private ReplyTemplate() { }

    public ReplyTemplate(string title, TicketCategory? category, string bodyZh, string bodyEn, Guid by, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7();
        Title = title;
        Category = category;
        BodyZh = bodyZh;
        BodyEn = bodyEn;
        IsActive = true;
        UpdatedBy = by;
        UpdatedAt = now;
    }

    public Guid Id { get; private set; }
    public string Title { get; set; } = "";
    /// <summary>Suggested first for tickets of this category; null fits any.</summary>
    public TicketCategory? Category { get; set; }
    public string BodyZh { get; set; } = "";
    public string BodyEn { get; set; } = "";
    public bool IsActive { get; set; }
    public Guid UpdatedBy { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
