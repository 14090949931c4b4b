using CardMall.Application.Abstractions;
using CardMall.Domain.Accounts;
using CardMall.Domain.Risk;
using CardMall.Domain.Verification;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Risk;

/// <summary>
/// Every supplier's scorecard (供应商考核): how many of its keys sold and what share buyers complained about,
/// how its interface behaved over the last week, its incidents still being worked, and what it owes us.
/// </summary>
public sealed record ListSupplierScorecards : IRequest<IReadOnlyList<SupplierScorecard>>;

internal sealed class ListSupplierScorecardsHandler(ICardMallDb db, ISupplierLatency latencies, ICurrentUser currentUser, TimeProvider clock)
    : IRequestHandler<ListSupplierScorecards, IReadOnlyList<SupplierScorecard>>
{
    public async Task<IReadOnlyList<SupplierScorecard>> Handle(ListSupplierScorecards request, CancellationToken ct)
    {
        currentUser.RequireAnyRole(ShopRoles.Operator, ShopRoles.Admin);
        var suppliers = await db.Suppliers.AsNoTracking().OrderBy(s => s.Code).Select(s => new { s.Id, s.Code, s.Name }).ToListAsync(ct);
        var figures = await SupplierScorecards.FiguresAsync(db, latencies, suppliers.Select(s => s.Id).ToArray(), clock.GetUtcNow(), ct);
        return suppliers.Select(s => figures[s.Id] with { Code = s.Code, Name = s.Name }).ToList();
    }
}

/// <summary>
/// A supplier's figures. Rates are null when there is nothing to divide by (no key sold, no call made),
/// so "no data" never reads as a perfect 0 %.
/// </summary>
public sealed record SupplierScorecard(
    Guid SupplierId, string Code, string Name, int Batches, int KeysImported, int KeysSold, int ComplainedKeys,
    int Calls, int FailedCalls, double? MedianLatencyMs, double? P90LatencyMs, int OpenIncidents, decimal LiabilityBalance)
{
    /// <summary>Distinct keys named in key complaints ÷ keys sold.</summary>
    public double? DefectRate => KeysSold == 0 ? null : (double)ComplainedKeys / KeysSold;

    /// <summary>Calls that did not get a good answer (timeout, error, circuit open, bad response) ÷ all calls.</summary>
    public double? ApiErrorRate => Calls == 0 ? null : (double)FailedCalls / Calls;
}

internal static class SupplierScorecards
{
    /// <summary>The interface's health is judged over this last stretch: old outages should not haunt a supplier for ever.</summary>
    public static readonly TimeSpan HealthWindow = TimeSpan.FromDays(7);

    public static async Task<Dictionary<Guid, SupplierScorecard>> FiguresAsync(ICardMallDb db, ISupplierLatency latencies, Guid[] supplierIds, DateTimeOffset now, CancellationToken ct)
    {
        var ids = supplierIds.ToList();
        var batches = await db.KeyBatches.Where(b => ids.Contains(b.SupplierId)).GroupBy(b => b.SupplierId)
            .Select(g => new { g.Key, Count = g.Count(), Imported = g.Sum(b => b.ImportedCount) }).ToDictionaryAsync(g => g.Key, ct);
        var sold = await (from k in db.CardKeys
                          join b in db.KeyBatches on k.BatchId equals b.Id
                          where ids.Contains(b.SupplierId) && k.OrderId != null
                          group k by b.SupplierId into g
                          select new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var categories = JoinIncidentOnTicketFiled.KeyComplaintCategories;
        var complained = await (from t in db.Tickets
                                join ti in db.TicketItems on t.Id equals ti.TicketId
                                join oi in db.OrderItems on ti.OrderItemId equals oi.Id
                                join k in db.CardKeys on oi.CardKeyId equals k.Id
                                join b in db.KeyBatches on k.BatchId equals b.Id
                                where categories.Contains(t.Category) && ids.Contains(b.SupplierId)
                                select new { b.SupplierId, KeyId = k.Id }).Distinct()
            .GroupBy(x => x.SupplierId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);

        var since = now - HealthWindow;
        var calls = await db.SupplierCalls.Where(c => ids.Contains(c.SupplierId) && c.At >= since).GroupBy(c => c.SupplierId)
            .Select(g => new { g.Key, Total = g.Count(), Failed = g.Count(c => c.Outcome != "ok") }).ToDictionaryAsync(g => g.Key, ct);
        var latency = await latencies.SinceAsync(supplierIds, since, ct);

        var incidents = await db.Incidents.Where(i => ids.Contains(i.SupplierId) && i.Status != IncidentStatus.Closed).GroupBy(i => i.SupplierId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var owed = await db.SupplierLedgerEntries.Where(e => ids.Contains(e.SupplierId)).GroupBy(e => e.SupplierId)
            .Select(g => new { g.Key, Sum = g.Sum(e => e.Amount) }).ToDictionaryAsync(g => g.Key, g => g.Sum, ct);

        return supplierIds.ToDictionary(id => id, id => new SupplierScorecard(
            id, "", "",
            batches.GetValueOrDefault(id)?.Count ?? 0, batches.GetValueOrDefault(id)?.Imported ?? 0,
            sold.GetValueOrDefault(id), complained.GetValueOrDefault(id),
            calls.GetValueOrDefault(id)?.Total ?? 0, calls.GetValueOrDefault(id)?.Failed ?? 0,
            latency.TryGetValue(id, out var l) ? l.Median : null, latency.TryGetValue(id, out var p) ? p.P90 : null,
            incidents.GetValueOrDefault(id), owed.GetValueOrDefault(id)));
    }
}

/// <summary>The outcome names of <see cref="SupplierCall.Outcome"/> the scorecard treats specially.</summary>
internal static class SupplierCallOutcomes
{
    public const string CircuitOpen = "circuit_open";
}
