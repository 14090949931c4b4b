using CardMall.Domain.Common;

namespace CardMall.Domain.Risk;

public enum IncidentStatus
{
    Open = 0,
    Remedied = 1,
    Closed = 2,
}

public enum IncidentRemedy
{
    ReplaceAll = 0,
    RefundAll = 1,
}

/// <summary>
/// A batch that collects too many key complaints (批次异常): its unsold keys are frozen, the tickets on it
/// are linked, and an operator applies one remedy to every affected item and charges the supplier.
/// </summary>
public sealed class Incident
{
    private Incident() { }

    public Incident(string no, Guid batchId, Guid supplierId, Guid productId, string reason, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7();
        No = no;
        BatchId = batchId;
        SupplierId = supplierId;
        ProductId = productId;
        Reason = reason;
        OpenedAt = now;
        Status = IncidentStatus.Open;
    }

    public Guid Id { get; private set; }
    public string No { get; private set; } = "";
    public Guid BatchId { get; private set; }
    public Guid SupplierId { get; private set; }
    public Guid ProductId { get; private set; }
    /// <summary>complaints_in_window or complaint_rate, with the figures.</summary>
    public string Reason { get; private set; } = "";
    public IncidentStatus Status { get; private set; }
    public DateTimeOffset OpenedAt { get; private set; }
    public IncidentRemedy? Remedy { get; private set; }
    public DateTimeOffset? RemediedAt { get; private set; }
    public Guid? RemediedBy { get; private set; }
    /// <summary>What the supplier was charged for the affected keys.</summary>
    public decimal LiabilityAmount { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }

    /// <summary>A closed incident takes no remedy: what is paid is on a case somebody is looking at.</summary>
    public void CheckTakesRemedy()
    {
        if (Status == IncidentStatus.Closed) throw new RuleBrokenException(ErrorCodes.InvalidState, "Incidents.AlreadyClosed");
    }

    /// <summary>
    /// An operator's press of the remedy is recorded with what it charged the supplier; a press that found everything
    /// done (nothing changed, nothing charged) leaves the record of the remedy that did it.
    /// </summary>
    public void Remedied(IncidentRemedy remedy, Guid by, decimal liability, bool changedAnything, DateTimeOffset now)
    {
        if (changedAnything || liability > 0 || Remedy is null) RecordRemedy(remedy, by, liability, now);
    }

    public void RecordRemedy(IncidentRemedy remedy, Guid by, decimal liability, DateTimeOffset now)
    {
        Remedy = remedy;
        RemediedBy = by;
        RemediedAt = now;
        LiabilityAmount += liability;
        Status = IncidentStatus.Remedied;
    }

    public void Close(DateTimeOffset now)
    {
        Status = IncidentStatus.Closed;
        ClosedAt = now;
    }
}

/// <summary>A ticket linked to an incident.</summary>
public sealed class IncidentTicket
{
    private IncidentTicket() { }

    public IncidentTicket(Guid incidentId, Guid ticketId, DateTimeOffset now)
    {
        IncidentId = incidentId;
        TicketId = ticketId;
        LinkedAt = now;
    }

    public Guid IncidentId { get; private set; }
    public Guid TicketId { get; private set; }
    public DateTimeOffset LinkedAt { get; private set; }
}

/// <summary>
/// Money a supplier owes us (or we owe it), e.g. the cost of a batch's defective keys. One line per
/// affected key and incident, so applying a remedy twice charges once.
/// </summary>
public sealed class SupplierLedgerEntry
{
    private SupplierLedgerEntry() { }

    public SupplierLedgerEntry(Guid supplierId, Guid? incidentId, Guid? cardKeyId, decimal amount, string reason, Guid? actor, DateTimeOffset now)
    {
        SupplierId = supplierId;
        IncidentId = incidentId;
        CardKeyId = cardKeyId;
        Amount = amount;
        Reason = reason;
        ActorUserId = actor;
        At = now;
    }

    public long Id { get; private set; }
    public Guid SupplierId { get; private set; }
    public Guid? IncidentId { get; private set; }
    public Guid? CardKeyId { get; private set; }
    /// <summary>Positive: the supplier owes us.</summary>
    public decimal Amount { get; private set; }
    public string Reason { get; private set; } = "";
    public Guid? ActorUserId { get; private set; }
    public DateTimeOffset At { get; private set; }
}
