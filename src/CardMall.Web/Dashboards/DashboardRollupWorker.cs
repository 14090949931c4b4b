using CardMall.Application.Features.Dashboards;
using MediatR;
using Microsoft.Extensions.Options;

namespace CardMall.Web.Dashboards;

/// <summary>
/// Rebuilds the dashboard rollups when the app starts and every CardMall:Dashboards:RollupInterval (10 min), so
/// the dashboards read a year of data from rollups plus a live tail. CardMall:Dashboards:RollupEnabled switches
/// it; it is off by default in the Testing environment, where tests run the pass themselves. Safe on several
/// nodes: a pass that finds another node's rebuild running skips.
/// </summary>
public sealed class DashboardRollupWorker(
    IServiceScopeFactory scopes, IOptions<DashboardOptions> options, IConfiguration configuration, IHostEnvironment environment,
    TimeProvider clock, ILogger<DashboardRollupWorker> logger)
    : BackgroundService
{
    public const string EnabledSetting = DashboardOptions.Section + ":RollupEnabled";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue(EnabledSetting, defaultValue: !environment.IsEnvironment("Testing"))) return;
        using var timer = new PeriodicTimer(options.Value.RollupInterval, clock);
        try
        {
            do await RunOnceAsync(stoppingToken);
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public async Task<DashboardRollupsRefreshed?> RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var refreshed = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new RefreshDashboardRollups(), cancellationToken);
            if (refreshed.Ran) logger.LogInformation("Dashboard rollups rebuilt up to {CoveredUntil}", refreshed.CoveredUntil);
            return refreshed;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Rebuilding the dashboard rollups failed; the dashboards read live data until the next pass");
            return null;
        }
    }
}
