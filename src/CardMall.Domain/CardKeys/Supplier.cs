using CardMall.Domain.Common;

namespace CardMall.Domain.CardKeys;

/// <summary>Where keys come from. Hidden from buyers; held to account when its keys fail.</summary>
public sealed class Supplier
{
    private Supplier() { }

    public Supplier(string code, string name, byte[] webhookSecretCipher, DateTimeOffset now)
    {
        Id = Guid.NewGuid();
        Code = code;
        Name = name;
        WebhookSecretCipher = webhookSecretCipher;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public string Code { get; private set; } = "";
    public string Name { get; set; } = "";
    /// <summary>The secret the supplier signs webhooks with, encrypted like card keys.</summary>
    public byte[] WebhookSecretCipher { get; set; } = [];
    /// <summary>How we talk to the supplier's interface: "sandbox" (the built-in simulated supplier), "none", or a real protocol.</summary>
    public string Protocol { get; set; } = "sandbox";
    /// <summary>The supplier interface's address; for the sandbox, empty means this app's own sandbox endpoint.</summary>
    public string? ApiBaseUrl { get; set; }
    public DateTimeOffset CreatedAt { get; private set; }
}

/// <summary>One import of keys: from which supplier, at what cost, by whom, from which file.</summary>
public sealed class KeyBatch
{
    private KeyBatch() { }

    public KeyBatch(Guid productId, Guid supplierId, decimal unitCost, DateTimeOffset? expiresAt, Guid importedBy, string fileHash, DateTimeOffset now)
    {
        Id = Guid.NewGuid();
        ProductId = productId;
        SupplierId = supplierId;
        UnitCost = unitCost;
        ExpiresAt = expiresAt;
        ImportedByUserId = importedBy;
        FileHash = fileHash;
        ImportedAt = now;
    }

    public Guid Id { get; private set; }
    public Guid ProductId { get; private set; }
    public Guid SupplierId { get; private set; }
    public decimal UnitCost { get; private set; }
    public DateTimeOffset? ExpiresAt { get; private set; }
    public Guid ImportedByUserId { get; private set; }
    /// <summary>SHA-256 of the submitted lines: proves which file a key came from.</summary>
    public string FileHash { get; private set; } = "";
    public DateTimeOffset ImportedAt { get; private set; }
    public int LineCount { get; set; }
    public int ImportedCount { get; set; }
    public int RejectedCount { get; set; }
    public bool IsFrozen { get; private set; }

    /// <summary>
    /// An operator stops the batch selling. Refused when it is frozen already. The keys still for sale go
    /// with it (<see cref="CardKey.Freeze"/> for each, applied set-based: a batch can hold 200,000 keys).
    /// </summary>
    public BatchKeyMove Freeze(Guid actor, string reason, DateTimeOffset now)
    {
        if (IsFrozen) throw new RuleBrokenException(ErrorCodes.InvalidState, "Admin.Batches.AlreadyFrozen");
        return FreezeKeys(actor, reason, now);
    }

    /// <summary>
    /// An incident stops the batch selling, whether or not an operator froze it before: the keys still for
    /// sale stop, and each key's history names the incident.
    /// </summary>
    public BatchKeyMove FreezeForIncident(string incidentNo, DateTimeOffset now) => FreezeKeys(null, "incident " + incidentNo, now);

    /// <summary>
    /// An operator releases a frozen batch: the keys the batch freeze took off sale (frozen while available)
    /// go back on sale. A key frozen after it was sold stays frozen: it needs its own review.
    /// </summary>
    public BatchKeyMove Release(Guid actor, string reason, DateTimeOffset now)
    {
        if (!IsFrozen) throw new RuleBrokenException(ErrorCodes.InvalidState, "Admin.Batches.NotFrozen");
        IsFrozen = false;
        return new BatchKeyMove(Id, CardKeyState.Frozen, FrozenFrom: CardKeyState.Available, CardKeyState.Available, CardKeyEventKind.Unfrozen, actor, reason, now);
    }

    /// <summary>Only keys still for sale stop; sold keys stay with their buyers (risk control freezes those one by one).</summary>
    private BatchKeyMove FreezeKeys(Guid? actor, string reason, DateTimeOffset now)
    {
        IsFrozen = true;
        return new BatchKeyMove(Id, CardKeyState.Available, FrozenFrom: null, CardKeyState.Frozen, CardKeyEventKind.Frozen, actor, reason, now);
    }
}

/// <summary>
/// What a batch freeze or release does to the batch's keys, decided by <see cref="KeyBatch"/> and applied in
/// one statement by the store: every key of the batch in state <see cref="From"/> (and, when set, frozen from
/// <see cref="FrozenFrom"/>) moves to <see cref="To"/> as <see cref="CardKey.Freeze"/> and
/// <see cref="CardKey.Unfreeze"/> move one key — a freeze remembers the state it left, a release returns to
/// it — and gets one <see cref="Event"/> naming <see cref="Actor"/> and <see cref="Reason"/>.
/// </summary>
public sealed record BatchKeyMove(
    Guid BatchId, CardKeyState From, CardKeyState? FrozenFrom, CardKeyState To, CardKeyEventKind Event, Guid? Actor, string Reason, DateTimeOffset At);
