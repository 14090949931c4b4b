using Microsoft.Extensions.Options;

namespace CardMall.Web.Payments;

/// <summary>
/// Runs <see cref="SandboxNotifications"/> in the background while the sandbox is enabled: at once when a
/// payment is made, and every few seconds for retries that fall due.
/// </summary>
public sealed class SandboxNotifier(SandboxNotifications notifications, IOptions<SandboxOptions> options, ILogger<SandboxNotifier> logger)
    : BackgroundService
{
    private static readonly TimeSpan Round = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.IsEnabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await notifications.DeliverDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Sending sandbox notifications failed; trying again in {Seconds} s", Round.TotalSeconds);
            }
            try
            {
                await notifications.WaitForWorkAsync(Round, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
