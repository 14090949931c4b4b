using CardMall.Application.Features.Tickets;
using MediatR;
using Microsoft.Extensions.Options;

namespace CardMall.Web.Tickets;

/// <summary>
/// Every CardMall:AfterSales:WatchInterval (30 s) runs one <see cref="WatchSlas"/> pass: warnings at 80 %,
/// escalation on breach, auto-close, check-ins. CardMall:AfterSales:WatcherEnabled switches it; it is on
/// by default except in the Testing environment, where a pass every 30 s would change tickets between a
/// test's steps — tests that move the clock run <see cref="RunOnceAsync"/> themselves. Safe on several web
/// nodes: the pass takes an advisory lock and claims its tickets.
/// </summary>
public sealed class SlaWatcher(
    IServiceScopeFactory scopes, IOptions<AfterSalesOptions> options, IConfiguration configuration, IHostEnvironment environment,
    TimeProvider clock, ILogger<SlaWatcher> logger)
    : BackgroundService
{
    public const string EnabledSetting = AfterSalesOptions.Section + ":WatcherEnabled";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue(EnabledSetting, defaultValue: !environment.IsEnvironment("Testing"))) return;
        using var timer = new PeriodicTimer(options.Value.WatchInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await RunOnceAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public async Task<SlaWatchPass?> RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
            return await mediator.Send(new WatchSlas(), cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "The SLA watcher's pass failed; the next pass tries again");
            return null;
        }
    }
}
