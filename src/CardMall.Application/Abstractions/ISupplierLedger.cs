using CardMall.Domain.Risk;

namespace CardMall.Application.Abstractions;

/// <summary>What suppliers owe the shop, behind one door in Infrastructure (the SQL stays there).</summary>
public interface ISupplierLedger
{
    /// <summary>
    /// Charges the supplier the batch's unit cost once per key of <paramref name="keyIds"/> from the incident's batch,
    /// however often it is asked (one line per incident and key); returns what this call charged.
    /// </summary>
    Task<decimal> ChargeIncidentAsync(Incident incident, decimal unitCost, IReadOnlyCollection<Guid> keyIds, Guid actor, DateTimeOffset now, CancellationToken ct);
}
