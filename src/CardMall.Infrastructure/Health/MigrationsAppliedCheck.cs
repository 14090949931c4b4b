using CardMall.Infrastructure.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace CardMall.Infrastructure.Health;

/// <summary>Ready means: the database answers and every migration this build carries is applied.</summary>
internal sealed class MigrationsAppliedCheck(IConfiguration configuration) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var conn = new NpgsqlConnection(configuration.CardMallConnectionString());
            await conn.OpenAsync(cancellationToken);
            var applied = await MigrationRunner.AppliedAsync(conn, cancellationToken);
            var missing = MigrationRunner.Embedded.Select(m => m.Id).Where(id => !applied.Contains(id)).ToList();
            return missing.Count == 0
                ? HealthCheckResult.Healthy($"{applied.Count} migrations applied")
                : HealthCheckResult.Unhealthy($"Migrations not applied: {string.Join(", ", missing)}");
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Database unreachable", e);
        }
    }
}
