using CardMall.Domain.Chats;

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

    /// <summary>
    /// Takes tickets (online or away). Setting it is the ticket desk's switch: on means online for chats too, off
    /// means offline. EF reads and writes the field, not this setter.
    /// </summary>
    public bool OnDuty
    {
        get => _onDuty;
        set => SetAvailability(value ? AgentAvailability.Online : AgentAvailability.Offline);
    }

    private bool _onDuty;

    /// <summary>Online takes new chats and tickets, away only tickets, offline nothing.</summary>
    public AgentAvailability Availability { get; private set; }

    /// <summary>How many chats the agent holds at once (offers included); routing offers no more.</summary>
    public int ChatLimit { get; private set; } = DefaultChatLimit;

    public const int DefaultChatLimit = 3;

    public void SetAvailability(AgentAvailability availability)
    {
        Availability = availability;
        _onDuty = availability != AgentAvailability.Offline;
    }

    public void SetChatLimit(int limit)
    {
        if (limit is < 1 or > 10) throw new Common.RuleBrokenException(Common.ErrorCodes.ValidationFailed, "Chats.LimitRange");
        ChatLimit = limit;
    }
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
