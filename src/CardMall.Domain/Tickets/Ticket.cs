using CardMall.Domain.Common;

namespace CardMall.Domain.Tickets;

/// <summary>
/// A buyer's after-sales case (售后工单). It carries its own SLA clock: due times are set from the
/// priority's policy when it is filed and move only by the time the clock stood still (waiting on the
/// buyer, resolved). A later priority change reorders queues but never rewrites a promise already shown
/// to the buyer.
/// <para>
/// It is an aggregate: the methods under "What people do with a ticket" check the state machine, move the clock,
/// append the messages, evidence and typed timeline events the ticket owns, and raise domain events that the
/// notice handlers turn into notifications after the change is saved. A handler loads the ticket with its lock,
/// calls one of them and saves. What the supplier, the keys and the money do to a ticket is in Ticket.Remedies.cs;
/// the SLA watcher's look at it in Ticket.Clock.cs.
/// </para>
/// </summary>
public sealed partial class Ticket : AggregateRoot
{
    // Only what this unit of work adds: the ticket is loaded without them, EF inserts what is appended.
    private readonly List<TicketMessage> _messages = [];
    private readonly List<TicketAttachment> _attachments = [];
    private readonly List<TicketEvent> _events = [];

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
    /// <summary>
    /// The buyer asked for a refund on a gateway-paid order to go to the wallet rather than back the way the money came
    /// (the default). Wallet-paid orders are refunded to the wallet anyway.
    /// </summary>
    public bool RefundToWallet { get; private set; }

    /// <summary>The buyer's choice of where a refund on this ticket goes; it applies to refunds paid from now on.</summary>
    public void ChooseRefundDestination(bool toWallet) => RefundToWallet = toWallet;
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

    public IReadOnlyCollection<TicketMessage> Messages => _messages;

    public IReadOnlyCollection<TicketAttachment> Attachments => _attachments;

    public IReadOnlyCollection<TicketEvent> Events => _events;

    public bool IsActive => TicketLifecycle.IsActive(Status);

    public bool IsPaused => PausedSince is not null;

    // ---- What people do with a ticket -------------------------------------------------------------------------

    /// <summary>
    /// The ticket as filed: its "created" event, the opening message (the description) and the evidence. A rule of
    /// the shop (<paramref name="openingAuthor"/> System) opens it without telling the buyer "we received your ticket".
    /// </summary>
    public void Open(MessageAuthor openingAuthor, Guid? actorId, IReadOnlyList<Evidence> evidence, DateTimeOffset now)
    {
        var byBuyer = openingAuthor != MessageAuthor.System;
        Record(TicketEventKinds.Created, new CategoryDetail(Category), isPublic: true, byBuyer ? actorId : null, now);
        var opening = AddMessage(openingAuthor, openingAuthor == MessageAuthor.Buyer ? BuyerId : null, Description, isInternal: false, now);
        AddEvidence(opening, evidence, BuyerId, now);
        Raise(new TicketWasFiled(this, byBuyer));
    }

    /// <summary>Routing gave the new ticket to an agent (the shop's doing, not the caller's).</summary>
    public void Route(Guid agentId, DateTimeOffset now)
    {
        AssignTo(agentId, now);
        Record(TicketEventKinds.Assigned, new AssigneeDetail(agentId), isPublic: false, actorId: null, now);
        Raise(new TicketWasAssigned(this, agentId, null, AssignmentWay.Routed, null));
    }

    /// <summary>
    /// Staff answer the buyer: the first answer stops the first-response clock, whoever answers an unclaimed ticket
    /// owns it, and the ticket moves on (<paramref name="then"/>, or from New to Open) without a second notice.
    /// </summary>
    public TicketMessage Reply(Guid staffId, string body, TicketStatus? then, DateTimeOffset now)
    {
        // A resolved ticket is answered by reopening it first, so the buyer's timeline stays truthful.
        if (!IsActive) throw new RuleBrokenException(ErrorCodes.InvalidState, "Workspace.ReplyInactive");
        var message = AddMessage(MessageAuthor.Staff, staffId, body, isInternal: false, now);
        RecordStaffReply(now);
        Record(TicketEventKinds.Replied, null, isPublic: true, staffId, now);
        TakeIfUnclaimed(staffId, now);
        var next = then ?? (Status == TicketStatus.New ? TicketStatus.Open : Status);
        if (next != Status) Move(next, staffId, now, tellBuyer: false);
        Raise(new StaffAnswered(this));
        return message;
    }

    /// <summary>An internal note: staff only, never on the buyer's pages.</summary>
    public TicketMessage AddNote(Guid staffId, string note, DateTimeOffset now)
    {
        var message = AddMessage(MessageAuthor.Staff, staffId, note, isInternal: true, now);
        Record(TicketEventKinds.NoteAdded, null, isPublic: false, staffId, now);
        Raise(new InternalNoteWasAdded(this, staffId));
        return message;
    }

    /// <summary>
    /// The buyer answers. A resolved ticket within the reopen window is reopened by the answer; an answer to a ticket
    /// waiting on the buyer sends it back to the agent and the paused clock runs again.
    /// </summary>
    public TicketMessage ReplyAsBuyer(string body, IReadOnlyList<Evidence> evidence, TimeSpan reopenWindow, DateTimeOffset now)
    {
        var reopened = false;
        switch (Status)
        {
            case TicketStatus.Closed:
            case TicketStatus.Resolved when !CanReopen(now, reopenWindow):
                throw new RuleBrokenException(ErrorCodes.InvalidState, "BuyerTickets.ReplyToClosed");
            case TicketStatus.Resolved:
                Move(TicketStatus.Open, BuyerId, now);
                Record(TicketEventKinds.Reopened, new ReopenedByReplyDetail(), isPublic: true, BuyerId, now);
                reopened = true;
                break;
            case TicketStatus.WaitingOnBuyer:
                Move(TicketStatus.Open, BuyerId, now);
                break;
        }
        var message = AddMessage(MessageAuthor.Buyer, BuyerId, body, isInternal: false, now);
        AddEvidence(message, evidence, BuyerId, now);
        Record(TicketEventKinds.BuyerReplied, null, isPublic: true, BuyerId, now);
        if (evidence.Count > 0) Record(TicketEventKinds.EvidenceAdded, new CountDetail(evidence.Count), isPublic: true, BuyerId, now);
        Raise(new BuyerAnswered(this, reopened));
        return message;
    }

    /// <summary>Refuses a reopen the buyer may not make: only a resolved or closed ticket, and only within the window.</summary>
    public void CheckReopen(TimeSpan window, DateTimeOffset now)
    {
        if (Status is not (TicketStatus.Resolved or TicketStatus.Closed))
            throw new RuleBrokenException(ErrorCodes.InvalidState, "BuyerTickets.ReopenNotResolved");
        if (!CanReopen(now, window))
            throw new RuleBrokenException(ErrorCodes.InvalidState, "BuyerTickets.ReopenWindowPassed", window.Days);
    }

    /// <summary>The buyer reopens a resolved ticket, optionally saying why.</summary>
    public void Reopen(string? reason, TimeSpan window, DateTimeOffset now)
    {
        CheckReopen(window, now);
        Move(TicketStatus.Open, BuyerId, now);
        Record(TicketEventKinds.Reopened, null, isPublic: true, BuyerId, now);
        if (!string.IsNullOrWhiteSpace(reason))
        {
            AddMessage(MessageAuthor.Buyer, BuyerId, reason.Trim(), isInternal: false, now);
            Record(TicketEventKinds.BuyerReplied, null, isPublic: true, BuyerId, now);
        }
        Raise(new BuyerReopenedTicket(this));
    }

    /// <summary>The buyer confirms the resolution: the ticket closes.</summary>
    public void ConfirmResolution(DateTimeOffset now)
    {
        if (Status != TicketStatus.Resolved)
            throw new RuleBrokenException(ErrorCodes.InvalidState, "BuyerTickets.ConfirmNotResolved");
        Move(TicketStatus.Closed, BuyerId, now);
    }

    /// <summary>
    /// Staff resolve the ticket: the rejection's reason and the closing words go to the buyer first, an unclaimed
    /// ticket becomes the resolver's, the outcome is recorded (responsibility, root cause, what the buyer got) and
    /// the clock stops. The buyer is told the ticket is resolved.
    /// </summary>
    public void Resolve(Guid staffId, Responsibility responsibility, RootCause rootCause, TicketResolution resolution,
        string? rejectionReason, string? closingMessage, DateTimeOffset now)
    {
        if (!TicketLifecycle.CanMove(Status, TicketStatus.Resolved)) throw InvalidTransition(Status, TicketStatus.Resolved);
        var reason = resolution == TicketResolution.Rejected ? rejectionReason : null;
        foreach (var text in new[] { reason, closingMessage }.Where(t => !string.IsNullOrEmpty(t)))
        {
            AddMessage(MessageAuthor.Staff, staffId, text!, isInternal: false, now);
            RecordStaffReply(now);
            Record(TicketEventKinds.Replied, null, isPublic: true, staffId, now);
        }
        TakeIfUnclaimed(staffId, now);
        Decide(responsibility, rootCause, resolution, reason, now);
        Move(TicketStatus.Resolved, staffId, now);
        Record(TicketEventKinds.Resolved, new ResolutionDetail(resolution), isPublic: true, staffId, now);
    }

    /// <summary>Staff set the status by hand (waiting on the buyer, closed, reopened …); the buyer hears of it.</summary>
    public void SetStatus(TicketStatus to, Guid staffId, DateTimeOffset now)
    {
        var from = Status;
        Move(to, staffId, now);
        if (to == TicketStatus.Open && from is TicketStatus.Resolved or TicketStatus.Closed)
            Record(TicketEventKinds.Reopened, null, isPublic: true, staffId, now);
        if (to == TicketStatus.Closed)
            Record(TicketEventKinds.Closed, null, isPublic: true, staffId, now);
    }

    /// <summary>
    /// An agent takes the ticket. Taking it over from another agent is for supervisors and admins
    /// (<paramref name="mayTakeOver"/>); the agent who had it hears of it. False when it was already theirs.
    /// </summary>
    public bool Claim(Guid staffId, bool mayTakeOver, DateTimeOffset now)
    {
        if (AssigneeId == staffId) return false;
        if (!IsActive) throw new RuleBrokenException(ErrorCodes.InvalidState, "Workspace.ClaimInactive");
        var previous = AssigneeId;
        if (previous is not null && !mayTakeOver) throw new RuleBrokenException(ErrorCodes.Conflict, "Workspace.AlreadyClaimed");
        AssignTo(staffId, now);
        Record(TicketEventKinds.Assigned, new AssigneeDetail(staffId), isPublic: false, staffId, now);
        Raise(new TicketWasAssigned(this, staffId, previous, AssignmentWay.Claimed, staffId));
        return true;
    }

    /// <summary>A supervisor hands the ticket to an agent. False when it was already theirs.</summary>
    public bool Reassign(Guid agentId, Guid byId, DateTimeOffset now)
    {
        if (!IsActive) throw new RuleBrokenException(ErrorCodes.InvalidState, "Workspace.ClaimInactive");
        if (AssigneeId == agentId) return false;
        var previous = AssigneeId;
        AssignTo(agentId, now);
        Record(TicketEventKinds.Assigned, new AssigneeDetail(agentId), isPublic: false, byId, now);
        Raise(new TicketWasAssigned(this, agentId, previous, AssignmentWay.Reassigned, byId));
        return true;
    }

    /// <summary>
    /// 催单 by the buyer: at most once per <paramref name="interval"/>, every second urge raising the priority. A
    /// refused urge changes nothing and says when the next one is allowed.
    /// </summary>
    public UrgeOutcome Urge(Guid buyerId, DateTimeOffset now, TimeSpan interval)
    {
        if (!IsActive) throw new RuleBrokenException(ErrorCodes.InvalidState, "BuyerTickets.UrgeNotActive");
        var outcome = Urge(now, interval);
        if (!outcome.Accepted) return outcome;
        Record(TicketEventKinds.Urged, new CountDetail(UrgeCount), isPublic: true, buyerId, now);
        if (outcome.PriorityRaised) Record(TicketEventKinds.PriorityChanged, new PriorityDetail(Priority), isPublic: true, buyerId, now);
        Raise(new BuyerUrgedTicket(this, UrgeCount, outcome.PriorityRaised));
        return outcome;
    }

    /// <summary>The buyer scores the resolution, once.</summary>
    public void RateResolution(int score, string? comment, DateTimeOffset now)
    {
        if (Rating is not null) throw new RuleBrokenException(ErrorCodes.InvalidState, "BuyerTickets.AlreadyRated");
        if (!CanRate) throw new RuleBrokenException(ErrorCodes.InvalidState, "BuyerTickets.RateNotResolved");
        Rate(score, comment, now);
        Record(TicketEventKinds.Rated, new CountDetail(score), isPublic: true, BuyerId, now);
        Raise(new BuyerRatedTicket(this, score));
    }

    // ---- The parts the methods above are made of ----------------------------------------------------------------

    /// <summary>
    /// Moves the ticket or refuses with invalid_state, and puts the move on the timeline. The buyer hears of every
    /// change somebody else makes, unless the caller tells them itself in one notice (<paramref name="tellBuyer"/>).
    /// </summary>
    public void Move(TicketStatus to, Guid? actorId, DateTimeOffset now, bool tellBuyer = true)
    {
        var from = Status;
        if (!MoveTo(to, now)) throw InvalidTransition(from, to);
        Record(TicketEventKinds.StatusChanged, new StatusDetail(to), isPublic: true, actorId, now);
        if (tellBuyer && actorId != BuyerId) Raise(new TicketWasMoved(this, to));
    }

    /// <summary>Appends a timeline event; <paramref name="actorId"/> is null when the shop did it on its own.</summary>
    public TicketEvent Record(string kind, TicketEventDetail? detail, bool isPublic, Guid? actorId, DateTimeOffset now)
    {
        var e = new TicketEvent(Id, kind, now, actorId, detail?.Stored, isPublic);
        _events.Add(e);
        return e;
    }

    public TicketMessage AddMessage(MessageAuthor author, Guid? authorId, string body, bool isInternal, DateTimeOffset now)
    {
        var message = new TicketMessage(Id, author, authorId, body, isInternal, now);
        _messages.Add(message);
        return message;
    }

    private void AddEvidence(TicketMessage message, IReadOnlyList<Evidence> evidence, Guid uploadedBy, DateTimeOffset now)
    {
        foreach (var e in evidence)
            _attachments.Add(new TicketAttachment(Id, message.Id, e.FileName, e.ContentType, e.Content, uploadedBy, now));
    }

    /// <summary>Whoever answers or resolves an unclaimed ticket owns it from now on: the buyer expects that person next time.</summary>
    private void TakeIfUnclaimed(Guid staffId, DateTimeOffset now)
    {
        if (AssigneeId is not null) return;
        AssignTo(staffId, now);
        Record(TicketEventKinds.Assigned, new AssigneeDetail(staffId), isPublic: false, staffId, now);
    }

    private static RuleBrokenException InvalidTransition(TicketStatus from, TicketStatus to) =>
        new(ErrorCodes.InvalidState, "Tickets.InvalidTransition", from, to);

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

/// <summary>What the SLA watcher's look at one ticket found (and recorded).</summary>
public sealed record SlaCheck(bool Warned, bool Breached);

/// <summary>Minutes to first response and to resolution, from the priority's SLA policy.</summary>
public sealed record SlaTargets(int FirstResponseMinutes, int ResolutionMinutes);
