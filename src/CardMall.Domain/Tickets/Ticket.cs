namespace CardMall.Domain.Tickets;

/// <summary>
/// A buyer's after-sales case (售后工单). It carries its own SLA clock: due times are set from the
/// priority's policy when it is filed and move only by the time the clock stood still (waiting on the
/// buyer, resolved). A later priority change reorders queues but never rewrites a promise already shown
/// to the buyer.
/// </summary>
public sealed class Ticket
{
    private Ticket() { }

    public Ticket(string no, Guid buyerId, Guid? orderId, TicketCategory category, TicketPriority priority,
        string description, string? device, string channel, bool isBulk, SlaTargets targets, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7();
        No = no;
        BuyerId = buyerId;
        OrderId = orderId;
        Category = category;
        Priority = priority;
        Description = description;
        Device = device;
        Channel = channel;
        IsBulk = isBulk;
        Status = TicketStatus.New;
        CreatedAt = now;
        UpdatedAt = now;
        FirstResponseTargetMinutes = targets.FirstResponseMinutes;
        ResolutionTargetMinutes = targets.ResolutionMinutes;
        FirstResponseDueAt = now.AddMinutes(targets.FirstResponseMinutes);
        ResolutionDueAt = now.AddMinutes(targets.ResolutionMinutes);
    }

    public Guid Id { get; private set; }
    public string No { get; private set; } = "";
    public Guid BuyerId { get; private set; }
    /// <summary>The order the ticket is about; null for a reseller's bulk ticket spanning orders.</summary>
    public Guid? OrderId { get; private set; }
    public TicketCategory Category { get; private set; }
    public TicketStatus Status { get; private set; }
    public TicketPriority Priority { get; private set; }
    public string Description { get; private set; } = "";
    public string? Device { get; private set; }
    /// <summary>web, api, assistant or system.</summary>
    public string Channel { get; private set; } = "";
    public bool IsBulk { get; private set; }
    public Guid? AssigneeId { get; private set; }

    public Responsibility? Responsibility { get; private set; }
    public RootCause? RootCause { get; private set; }
    public TicketResolution? Resolution { get; private set; }
    public string? ResolutionNote { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    // SLA clock
    public int FirstResponseTargetMinutes { get; private set; }
    public int ResolutionTargetMinutes { get; private set; }
    public DateTimeOffset FirstResponseDueAt { get; private set; }
    public DateTimeOffset ResolutionDueAt { get; private set; }
    public DateTimeOffset? FirstRespondedAt { get; private set; }
    public DateTimeOffset? ResolvedAt { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    /// <summary>Set while the clock stands still.</summary>
    public DateTimeOffset? PausedSince { get; private set; }
    /// <summary>Total seconds the clock stood still (excluded from SLA figures).</summary>
    public long PausedSeconds { get; private set; }
    public DateTimeOffset? FirstResponseWarnedAt { get; private set; }
    public DateTimeOffset? ResolutionWarnedAt { get; private set; }
    public DateTimeOffset? FirstResponseBreachedAt { get; private set; }
    public DateTimeOffset? ResolutionBreachedAt { get; private set; }
    public bool IsBreached { get; private set; }

    // Buyer follow-up
    public int UrgeCount { get; private set; }
    public DateTimeOffset? LastUrgedAt { get; private set; }
    public int ReopenCount { get; private set; }
    public int? Rating { get; private set; }
    public string? RatingComment { get; private set; }
    public DateTimeOffset? RatedAt { get; private set; }
    public DateTimeOffset? CheckInSentAt { get; private set; }

    public bool IsActive => TicketLifecycle.IsActive(Status);

    public bool IsPaused => PausedSince is not null;

    /// <summary>
    /// Moves the ticket, stopping or restarting the SLA clock. Stopped time pushes the due times that are
    /// still open out by the same span. Returns false when the lifecycle does not allow the move.
    /// </summary>
    public bool MoveTo(TicketStatus to, DateTimeOffset now)
    {
        if (to == Status || !TicketLifecycle.CanMove(Status, to)) return false;
        var wasRunning = TicketLifecycle.ClockRuns(Status);
        var willRun = TicketLifecycle.ClockRuns(to);
        if (wasRunning && !willRun) PausedSince = now;
        if (!wasRunning && willRun && PausedSince is { } since)
        {
            var span = now - since;
            if (span > TimeSpan.Zero)
            {
                PausedSeconds += (long)span.TotalSeconds;
                if (FirstRespondedAt is null) FirstResponseDueAt += span;
                ResolutionDueAt += span;
            }
            PausedSince = null;
        }
        if (to == TicketStatus.Resolved) ResolvedAt = now;
        if (to == TicketStatus.Closed) ClosedAt = now;
        if (to == TicketStatus.Open && Status is TicketStatus.Resolved or TicketStatus.Closed)
        {
            ReopenCount++;
            ResolvedAt = null;
            ClosedAt = null;
            Resolution = null;
            CheckInSentAt = null;
        }
        Status = to;
        UpdatedAt = now;
        return true;
    }

    public void AssignTo(Guid? agentId, DateTimeOffset now)
    {
        AssigneeId = agentId;
        UpdatedAt = now;
    }

    /// <summary>The first public reply by staff stops the first-response clock.</summary>
    public void RecordStaffReply(DateTimeOffset now)
    {
        FirstRespondedAt ??= now;
        UpdatedAt = now;
    }

    public void SetPriority(TicketPriority priority, DateTimeOffset now)
    {
        Priority = priority;
        UpdatedAt = now;
    }

    /// <summary>催单: at most once per <paramref name="interval"/>; every second urge raises the priority.</summary>
    public UrgeOutcome Urge(DateTimeOffset now, TimeSpan interval)
    {
        if (LastUrgedAt is { } last && now - last < interval)
            return new UrgeOutcome(false, false, last + interval);
        UrgeCount++;
        LastUrgedAt = now;
        UpdatedAt = now;
        var raised = UrgeCount % 2 == 0 && Priority != TicketPriority.Urgent;
        if (raised) Priority = Priority.Raise();
        return new UrgeOutcome(true, raised, null);
    }

    public bool CanReopen(DateTimeOffset now, TimeSpan window) =>
        Status is TicketStatus.Resolved or TicketStatus.Closed && ResolvedAt is { } at && now - at <= window;

    /// <summary>Records the outcome; <see cref="MoveTo"/> to Resolved must still be called.</summary>
    public void Decide(Responsibility responsibility, RootCause rootCause, TicketResolution resolution, string? note, DateTimeOffset now)
    {
        Responsibility = responsibility;
        RootCause = rootCause;
        Resolution = resolution;
        ResolutionNote = note;
        UpdatedAt = now;
    }

    public bool CanRate => Status is TicketStatus.Resolved or TicketStatus.Closed && Rating is null;

    public void Rate(int score, string? comment, DateTimeOffset now)
    {
        if (!CanRate) throw new InvalidOperationException("Only a resolved ticket can be rated, once.");
        if (score is < 1 or > 5) throw new ArgumentOutOfRangeException(nameof(score));
        Rating = score;
        RatingComment = comment;
        RatedAt = now;
        UpdatedAt = now;
    }

    public void MarkCheckInSent(DateTimeOffset now) => CheckInSentAt = now;

    // The watcher's view of the clock. Nothing is due while the clock stands still.
    public bool FirstResponseWarningDue(DateTimeOffset now, double warnAt) =>
        IsActive && !IsPaused && FirstRespondedAt is null && FirstResponseWarnedAt is null
        && now >= FirstResponseDueAt.AddMinutes(-FirstResponseTargetMinutes * (1 - warnAt));

    public bool ResolutionWarningDue(DateTimeOffset now, double warnAt) =>
        IsActive && !IsPaused && ResolutionWarnedAt is null
        && now >= ResolutionDueAt.AddMinutes(-ResolutionTargetMinutes * (1 - warnAt));

    public bool FirstResponseBreachDue(DateTimeOffset now) =>
        IsActive && !IsPaused && FirstRespondedAt is null && FirstResponseBreachedAt is null && now > FirstResponseDueAt;

    public bool ResolutionBreachDue(DateTimeOffset now) =>
        IsActive && !IsPaused && ResolutionBreachedAt is null && now > ResolutionDueAt;

    public void MarkFirstResponseWarned(DateTimeOffset now) => FirstResponseWarnedAt = now;

    public void MarkResolutionWarned(DateTimeOffset now) => ResolutionWarnedAt = now;

    /// <summary>A breach escalates: the ticket is marked (red in every queue) and its priority raised.</summary>
    public void MarkFirstResponseBreached(DateTimeOffset now)
    {
        FirstResponseBreachedAt = now;
        IsBreached = true;
        Priority = Priority.Raise();
        UpdatedAt = now;
    }

    public void MarkResolutionBreached(DateTimeOffset now)
    {
        ResolutionBreachedAt = now;
        IsBreached = true;
        Priority = Priority.Raise();
        UpdatedAt = now;
    }
}

public sealed record UrgeOutcome(bool Accepted, bool PriorityRaised, DateTimeOffset? NextAllowedAt);

/// <summary>Minutes to first response and to resolution, from the priority's SLA policy.</summary>
public sealed record SlaTargets(int FirstResponseMinutes, int ResolutionMinutes);
