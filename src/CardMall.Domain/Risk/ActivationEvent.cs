namespace CardMall.Domain.Risk;

/// <summary>
/// Somebody tried to activate a key (reported by the supplier's webhook, or a redemption on the platform
/// itself). <see cref="Fingerprint"/> identifies the event, so a replayed webhook is stored once.
/// </summary>
public sealed class ActivationEvent
{
    private ActivationEvent() { }

    public ActivationEvent(Guid cardKeyId, Guid? supplierId, string source, string deviceId, string? ip, DateTimeOffset at, string result,
        byte[] fingerprint, DateTimeOffset receivedAt)
    {
        CardKeyId = cardKeyId;
        SupplierId = supplierId;
        Source = source;
        DeviceId = deviceId.Length > 128 ? deviceId[..128] : deviceId;
        Ip = ip is { Length: > 64 } ? ip[..64] : ip;
        At = at;
        Result = result.Length > 32 ? result[..32] : result;
        Fingerprint = fingerprint;
        ReceivedAt = receivedAt;
    }

    public long Id { get; private set; }
    public Guid CardKeyId { get; private set; }
    public Guid? SupplierId { get; private set; }
    /// <summary>webhook or platform.</summary>
    public string Source { get; private set; } = "";
    public string DeviceId { get; private set; } = "";
    public string? Ip { get; private set; }
    public DateTimeOffset At { get; private set; }
    /// <summary>success, failed, … as the supplier reports it.</summary>
    public string Result { get; private set; } = "";
    public byte[] Fingerprint { get; private set; } = [];
    public DateTimeOffset ReceivedAt { get; private set; }
}

/// <summary>Something on the staff dashboard that needs a look (a frozen key, an incident, an anomaly).</summary>
public sealed class RiskAlert
{
    private RiskAlert() { }

    public RiskAlert(string kind, string detail, Guid? cardKeyId, Guid? ticketId, Guid? incidentId, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7();
        Kind = kind;
        Detail = detail.Length > 500 ? detail[..500] : detail;
        CardKeyId = cardKeyId;
        TicketId = ticketId;
        IncidentId = incidentId;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    /// <summary>multi_device, incident_opened, interface_anomaly.</summary>
    public string Kind { get; private set; } = "";
    public string Detail { get; private set; } = "";
    public Guid? CardKeyId { get; private set; }
    public Guid? TicketId { get; private set; }
    public Guid? IncidentId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? AcknowledgedAt { get; private set; }
    public Guid? AcknowledgedBy { get; private set; }

    public void Acknowledge(Guid by, DateTimeOffset now)
    {
        AcknowledgedAt ??= now;
        AcknowledgedBy ??= by;
    }
}

/// <summary>A device a user has signed in from, so a sign-in from a new one can be told to them.</summary>
public sealed class UserDevice
{
    private UserDevice() { }

    public UserDevice(Guid userId, string deviceHash, string? ip, string? userAgent, DateTimeOffset now)
    {
        UserId = userId;
        DeviceHash = deviceHash;
        Ip = ip;
        UserAgent = userAgent is { Length: > 300 } ? userAgent[..300] : userAgent;
        FirstSeenAt = now;
        LastSeenAt = now;
    }

    public Guid UserId { get; private set; }
    /// <summary>SHA-256 of the device cookie's id (hex).</summary>
    public string DeviceHash { get; private set; } = "";
    public string? Ip { get; private set; }
    public string? UserAgent { get; private set; }
    public DateTimeOffset FirstSeenAt { get; private set; }
    public DateTimeOffset LastSeenAt { get; private set; }

    public void Seen(string? ip, DateTimeOffset now)
    {
        Ip = ip;
        LastSeenAt = now;
    }
}
