using CardMall.Application.Abstractions;
using CardMall.Domain.Risk;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Infrastructure.Persistence;

internal sealed class SupplierLedger(CardMallDbContext db) : ISupplierLedger
{
    /// <summary>
    /// The unique (incident, key) index with ON CONFLICT DO NOTHING charges a key once however often the remedy is
    /// pressed; what this call charged is what the statement inserted.
    /// </summary>
    public async Task<decimal> ChargeIncidentAsync(Incident incident, decimal unitCost, IReadOnlyCollection<Guid> keyIds, Guid actor,
        DateTimeOffset now, CancellationToken ct)
    {
        // A free batch costs the supplier nothing (and a ledger line never carries zero).
        if (unitCost <= 0 || keyIds.Count == 0) return 0m;
        var ids = keyIds.ToArray();
        var reason = "incident " + incident.No;
        // Not composed further: PostgreSQL allows a data-modifying WITH only at the top of the statement.
        var charged = await db.Database.SqlQuery<decimal>($"""
            WITH charged AS (
                INSERT INTO supplier_ledger_entries (supplier_id, incident_id, card_key_id, amount, reason, actor_user_id, at)
                SELECT {incident.SupplierId}, {incident.Id}, k.id, {unitCost}, {reason}, {actor}, {now}
                FROM card_keys k WHERE k.id = ANY({ids}) AND k.batch_id = {incident.BatchId}
                ON CONFLICT (incident_id, card_key_id) WHERE incident_id IS NOT NULL DO NOTHING
                RETURNING amount)
            SELECT coalesce(sum(amount), 0) AS "Value" FROM charged
            """).ToListAsync(ct);
        return charged.Single();
    }
}
