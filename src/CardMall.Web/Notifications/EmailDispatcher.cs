using CardMall.Application.Features.Notifications;
using CardMall.Infrastructure.Mail;
using MediatR;
using Microsoft.Extensions.Options;

namespace CardMall.Web.Notifications;

/// <summary>
/// Every CardMall:Mail:DispatchInterval (10 s) runs one <see cref="DispatchEmails"/> pass over the outbox.
/// Off with CardMall:Mail:DispatchEnabled=false, and idle while no mail transport is configured (the
/// e-mails wait in the outbox). Safe on several web nodes: each pass claims its own rows. Links in the
/// e-mails start with CardMall:PublicBaseUrl (default http://localhost:5000).
/// </summary>
public sealed class EmailDispatcher(
    IServiceScopeFactory scopes, IOptions<MailOptions> options, IConfiguration configuration, TimeProvider clock, ILogger<EmailDispatcher> logger)
    : BackgroundService
{
    public const string DefaultPublicBaseUrl = "http://localhost:5000";

    private string PublicBaseUrl => configuration["CardMall:PublicBaseUrl"] is { Length: > 0 } url ? url : DefaultPublicBaseUrl;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.DispatchEnabled) return;
        if (!settings.IsConfigured)
        {
            logger.LogWarning("No mail transport is configured (CardMall:Mail:Host or PickupDirectory): e-mails wait in the outbox");
            return;
        }
        using var timer = new PeriodicTimer(settings.DispatchInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await RunOnceAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public async Task<EmailsDispatched?> RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
            return await mediator.Send(new DispatchEmails(PublicBaseUrl), cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Dispatching e-mails failed; the next pass tries again");
            return null;
        }
    }
}
