using CardMall.Application.Telemetry;
using CardMall.Domain.Verification;
using CardMall.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CardMall.Infrastructure.Suppliers;

/// <summary>
/// Writes one <see cref="SupplierCall"/> per call (after its retries) for the supplier's API health, in its
/// own short scope and transaction: the record stays even when the caller's transaction rolls back, and a
/// failure to write it never turns a supplier's answer into an error. The shop's metrics get the call too.
/// </summary>
internal sealed class SupplierCallLog(IServiceScopeFactory scopes, TimeProvider clock, ShopMetrics metrics, ILogger<SupplierCallLog> logger)
{
    public const string QueryKey = "query_key";
    public const string ReportCase = "report_case";

    public async Task RecordAsync(Guid supplierId, string operation, int latencyMs, string outcome, int? httpStatus, CancellationToken cancellationToken)
    {
        metrics.SupplierCalled(operation, outcome, TimeSpan.FromMilliseconds(latencyMs), answered: outcome == "ok");
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
            db.SupplierCalls.Add(new SupplierCall(supplierId, operation, clock.GetUtcNow(), latencyMs, outcome, httpStatus));
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Could not record a {Operation} call to supplier {SupplierId} ({Outcome})", operation, supplierId, outcome);
        }
    }
}
