namespace CardMall.Domain.Audit;

/// <summary>
/// One staff action on the record (审计日志): who did what, when, from where. Written once and never
/// changed: the database refuses UPDATE and DELETE on the table (migration 0016). The detail is a short
/// description made of ids, amounts and names; it never holds a card key or a secret.
/// </summary>
public sealed class AuditRecord
{
    public const int DetailLength = 1000;
    public const int SubjectLength = 128;

    private AuditRecord() { }

    public AuditRecord(DateTimeOffset at, Guid? actorId, string actorEmail, string action, string? subject, string detail, string? ipAddress)
    {
        At = at;
        ActorId = actorId;
        ActorEmail = Cut(actorEmail, 256);
        Action = action;
        Subject = subject is null ? null : Cut(subject, SubjectLength);
        Detail = Cut(detail, DetailLength);
        IpAddress = ipAddress is null ? null : Cut(ipAddress, 64);
    }

    public long Id { get; private set; }
    public DateTimeOffset At { get; private set; }
    public Guid? ActorId { get; private set; }
    public string ActorEmail { get; private set; } = "";
    /// <summary>One of <see cref="AuditActions"/>.</summary>
    public string Action { get; private set; } = "";
    /// <summary>What was acted on: a user id, an SKU, a batch id, a ticket number …</summary>
    public string? Subject { get; private set; }
    public string Detail { get; private set; } = "";
    public string? IpAddress { get; private set; }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];
}

/// <summary>The kinds of staff action the audit log knows; the admin page filters and names them.</summary>
public static class AuditActions
{
    public const string UserCreated = "user.created";
    public const string UserRoleChanged = "user.role_changed";
    public const string UserDisabled = "user.disabled";
    public const string UserEnabled = "user.enabled";
    public const string UserTwoFactorReset = "user.two_factor_reset";
    public const string UserApiKeysRevoked = "user.api_keys_revoked";
    public const string WalletAdjusted = "wallet.adjusted";
    public const string WalletAdjustmentRequested = "wallet.adjustment_requested";
    public const string WalletAdjustmentApproved = "wallet.adjustment_approved";
    public const string WalletAdjustmentRejected = "wallet.adjustment_rejected";
    public const string PayoutIssued = "payout.issued";
    public const string PayoutDecided = "payout.decided";
    public const string KeyReplaced = "key.replaced";
    public const string KeyUnfrozen = "key.unfrozen";
    public const string BatchImported = "batch.imported";
    public const string BatchFrozen = "batch.frozen";
    public const string BatchUnfrozen = "batch.unfrozen";
    public const string IncidentRemedyApplied = "incident.remedy_applied";
    public const string IncidentClosed = "incident.closed";
    public const string ProductCreated = "product.created";
    public const string ProductUpdated = "product.updated";
    public const string SupplierCreated = "supplier.created";
    public const string SlaPolicyChanged = "sla.changed";
    public const string TemplateSaved = "template.saved";
    public const string AgentSkillsSet = "agent.skills_set";

    public static readonly IReadOnlyList<string> All =
    [
        UserCreated, UserRoleChanged, UserDisabled, UserEnabled, UserTwoFactorReset, UserApiKeysRevoked,
        WalletAdjusted, WalletAdjustmentRequested, WalletAdjustmentApproved, WalletAdjustmentRejected, PayoutIssued, PayoutDecided,
        KeyReplaced, KeyUnfrozen, BatchImported, BatchFrozen, BatchUnfrozen, IncidentRemedyApplied, IncidentClosed,
        ProductCreated, ProductUpdated, SupplierCreated, SlaPolicyChanged, TemplateSaved, AgentSkillsSet,
    ];
}
