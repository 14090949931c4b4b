using CardMall.Application.Features.Wallet;
using MediatR;
using Microsoft.Extensions.Options;

namespace CardMall.Web.Payments;

/// <summary>
/// Every CardMall:TopUps:CheckInterval (15 s) runs one <see cref="CheckPendingTopUps"/> pass: settles the
/// top-ups whose notification was lost and expires the ones nobody paid. Safe on several web nodes (the
/// pass takes an advisory lock).
/// </summary>
public sealed class TopUpWatcher(IServiceScopeFactory scopes, IOptions<TopUpOptions> options, TimeProvider clock, ILogger<TopUpWatcher> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await RunOnceAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public async Task<PendingTopUpsChecked?> RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
            return await mediator.Send(new CheckPendingTopUps(options.Value.CheckAfter), cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Checking pending top-ups failed; the next pass tries again");
            return null;
        }
    }
}
