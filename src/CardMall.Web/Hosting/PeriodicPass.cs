using System.Diagnostics;
using CardMall.Application.Telemetry;
using MediatR;

namespace CardMall.Web.Hosting;

/// <summary>
/// The shape every background job of the shop has: on a timer, send one use case (a "pass") in a scope of its
/// own; a failed pass is logged and the next one tries again, so one bad minute never stops the job. The
/// passes themselves are safe on several nodes (each takes a lock or claims its rows), so every node runs
/// every job. Each pass's duration goes to the shop's metrics. Tests call <see cref="RunOnceAsync"/> instead of
/// waiting for the timer.
/// </summary>
public abstract class PeriodicPass<TResult>(IServiceScopeFactory scopes, TimeProvider clock, ILogger logger) : BackgroundService
    where TResult : class
{
    /// <summary>How often the pass runs; null when this node should not run it (switched off, or nothing to do it with).</summary>
    protected abstract TimeSpan? Interval { get; }

    /// <summary>
    /// <paramref name="interval"/> while the switch <paramref name="setting"/> is on: on by default, except in the
    /// Testing environment, where a pass on a timer would change data between a test's steps (tests run
    /// <see cref="RunOnceAsync"/> themselves).
    /// </summary>
    protected static TimeSpan? WhenSwitchedOn(IConfiguration configuration, IHostEnvironment environment, string setting, TimeSpan interval) =>
        configuration.GetValue(setting, defaultValue: !environment.IsEnvironment("Testing")) ? interval : null;

    /// <summary>Run once as the app starts, before the first tick (for work that must not wait a whole interval).</summary>
    protected virtual bool RunAtStart => false;

    /// <summary>The use case one pass sends.</summary>
    protected abstract IRequest<TResult> Pass();

    /// <summary>Called on the pass's thread before it runs (e.g. to set the culture its texts are written in).</summary>
    protected virtual void BeforePass()
    {
    }

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Interval is not { } interval) return;
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            if (RunAtStart) await RunOnceAsync(stoppingToken);
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await RunOnceAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public async Task<TResult?> RunOnceAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var failed = true;
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            BeforePass();
            var result = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(Pass(), cancellationToken);
            failed = false;
            return result;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "A {Job} pass failed; the next pass tries again", GetType().Name);
            return null;
        }
        finally
        {
            scope.ServiceProvider.GetRequiredService<ShopMetrics>().PassRan(GetType().Name, Stopwatch.GetElapsedTime(started), failed);
        }
    }
}
