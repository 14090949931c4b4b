using CardMall.Application.Features.Notifications;
using CardMall.Infrastructure.Mail;
using CardMall.Web.Hosting;
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
    : PeriodicPass<EmailsDispatched>(scopes, clock, logger)
{
    public const string DefaultPublicBaseUrl = "http://localhost:5000";

    private string PublicBaseUrl => configuration["CardMall:PublicBaseUrl"] is { Length: > 0 } url ? url : DefaultPublicBaseUrl;

    protected override TimeSpan? Interval
    {
        get
        {
            var settings = options.Value;
            if (!settings.DispatchEnabled) return null;
            if (settings.IsConfigured) return settings.DispatchInterval;
            logger.LogWarning("No mail transport is configured (CardMall:Mail:Host or PickupDirectory): e-mails wait in the outbox");
            return null;
        }
    }

    protected override IRequest<EmailsDispatched> Pass() => new DispatchEmails(PublicBaseUrl);
}
