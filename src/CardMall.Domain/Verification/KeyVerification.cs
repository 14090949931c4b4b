namespace CardMall.Domain.Verification;

/// <summary>What the supplier says about a key (or that it could not say).</summary>
public enum SupplierAnswer
{
    Unused = 0,
    Redeemed = 1,
    Invalid = 2,
    /// <summary>The supplier answered but does not know the key.</summary>
    Unknown = 3,
    /// <summary>No usable answer: timeout, error, circuit open (接口异常).</summary>
    Unreachable = 4,
}

/// <summary>What the verification did about it, within policy.</summary>
public enum VerificationOutcome
{
    /// <summary>Supplier says invalid, or redeemed before we delivered: replaced at once.</summary>
    Replaced = 0,
    /// <summary>Supplier says unused: usage guidance sent, waiting on the buyer.</summary>
    GuidanceSent = 1,
    /// <summary>Redeemed after the buyer revealed it: a person compares the times.</summary>
    HumanReview = 2,
    /// <summary>The supplier could not be asked: routed to a person at High priority.</summary>
    InterfaceAnomaly = 3,
    /// <summary>Would have been replaced, but the buyer reached the automatic replacement cap.</summary>
    CapReached = 4,
    /// <summary>No replacement key in stock: routed to a person.</summary>
    NoStock = 5,
    /// <summary>The key is not on this buyer's order, or nothing could be decided automatically.</summary>
    NotApplicable = 6,
}

public enum VerificationStatus
{
    Pending = 0,
    Done = 1,
}

/// <summary>
/// One check of one key (卡密核验), kept as evidence: who asked, what our records say (sold to this
/// buyer, state, first reveal, activations), what the supplier said, and what was done about it.
/// Filed tickets queue a pending row that the verification worker runs within seconds.
/// </summary>
public sealed class KeyVerification
{
    private KeyVerification() { }

    public KeyVerification(Guid cardKeyId, Guid? ticketId, Guid? orderItemId, Guid? requestedBy, string trigger, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7();
        CardKeyId = cardKeyId;
        TicketId = ticketId;
        OrderItemId = orderItemId;
        RequestedBy = requestedBy;
        Trigger = trigger;
        RequestedAt = now;
        NextAttemptAt = now;
        Status = VerificationStatus.Pending;
    }

    public Guid Id { get; private set; }
    public Guid CardKeyId { get; private set; }
    public Guid? TicketId { get; private set; }
    public Guid? OrderItemId { get; private set; }
    public Guid? RequestedBy { get; private set; }
    /// <summary>ticket, agent, assistant.</summary>
    public string Trigger { get; private set; } = "";
    public VerificationStatus Status { get; private set; }
    public DateTimeOffset RequestedAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }

    /// <summary>Runs started (claimed); a check that keeps failing goes to a person after the limit.</summary>
    public int Attempts { get; private set; }

    /// <summary>When a worker may take the check: at once when queued, later while a run holds it or after a failure.</summary>
    public DateTimeOffset NextAttemptAt { get; private set; }

    // What our own records say.
    public bool SoldToBuyer { get; private set; }
    public string? KeyState { get; private set; }
    public DateTimeOffset? SoldAt { get; private set; }
    public DateTimeOffset? FirstRevealedAt { get; private set; }
    public int ActivationCount { get; private set; }

    // What the supplier said.
    public SupplierAnswer? Answer { get; private set; }
    public DateTimeOffset? SupplierRedeemedAt { get; private set; }
    /// <summary>Why there is no answer (timeout, http_500, circuit_open …) — never the key.</summary>
    public string? SupplierError { get; private set; }
    public int? SupplierLatencyMs { get; private set; }

    public VerificationOutcome? Outcome { get; private set; }
    /// <summary>The replacement key's order item, when the outcome was a replacement.</summary>
    public Guid? ReplacementItemId { get; private set; }

    /// <summary>
    /// Taken for a run, when it is due: counted, and not due again before the back-off of this attempt — which is both
    /// the lease that keeps other workers off while the supplier is asked (with no transaction open) and the wait should
    /// the run fail or never report back. False for a check already done, being run elsewhere or backing off.
    /// </summary>
    public bool TryClaim(DateTimeOffset now, TimeSpan firstBackOff)
    {
        if (Status == VerificationStatus.Done || NextAttemptAt > now) return false;
        Attempts++;
        NextAttemptAt = now + BackOff(Attempts, firstBackOff);
        return true;
    }

    /// <summary>Exponential back-off: <paramref name="first"/>, twice that, four times … after each attempt, at most an hour.</summary>
    public static TimeSpan BackOff(int attempt, TimeSpan first) =>
        TimeSpan.FromTicks((long)Math.Min(TimeSpan.FromHours(1).Ticks, first.Ticks * Math.Pow(2, Math.Max(0, attempt - 1))));

    public void RecordFacts(bool soldToBuyer, string keyState, DateTimeOffset? soldAt, DateTimeOffset? firstRevealedAt, int activationCount)
    {
        SoldToBuyer = soldToBuyer;
        KeyState = keyState;
        SoldAt = soldAt;
        FirstRevealedAt = firstRevealedAt;
        ActivationCount = activationCount;
    }

    public void RecordAnswer(SupplierAnswer answer, DateTimeOffset? redeemedAt, string? error, int? latencyMs)
    {
        Answer = answer;
        SupplierRedeemedAt = redeemedAt;
        SupplierError = error is { Length: > 200 } ? error[..200] : error;
        SupplierLatencyMs = latencyMs;
    }

    public void Complete(VerificationOutcome outcome, Guid? replacementItemId, DateTimeOffset now)
    {
        Outcome = outcome;
        ReplacementItemId = replacementItemId;
        Status = VerificationStatus.Done;
        CompletedAt = now;
    }
}
