using CardMall.Application.Abstractions;
using CardMall.Application.Features.Risk;
using CardMall.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Infrastructure.Suppliers;

/// <summary>percentile_cont over supplier_calls, one statement for all the suppliers asked about.</summary>
internal sealed class SupplierLatency(CardMallDbContext db) : ISupplierLatency
{
    public async Task<IReadOnlyDictionary<Guid, (double Median, double P90)>> SinceAsync(Guid[] supplierIds, DateTimeOffset since, CancellationToken ct)
    {
        var circuitOpen = SupplierCallOutcomes.CircuitOpen;
        var rows = await db.Database.SqlQuery<LatencyFigures>($"""
                SELECT supplier_id AS "SupplierId",
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS "Median",
                       percentile_cont(0.9) WITHIN GROUP (ORDER BY latency_ms) AS "P90"
                FROM supplier_calls
                WHERE supplier_id = ANY({supplierIds}) AND at >= {since} AND outcome <> {circuitOpen}
                GROUP BY supplier_id
                """).ToListAsync(ct);
        return rows.ToDictionary(l => l.SupplierId, l => (l.Median, l.P90));
    }

    private sealed class LatencyFigures
    {
        public Guid SupplierId { get; set; }
        public double Median { get; set; }
        public double P90 { get; set; }
    }
}
