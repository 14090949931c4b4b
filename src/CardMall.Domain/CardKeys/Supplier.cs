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
    public bool IsFrozen { get; set; }
}
