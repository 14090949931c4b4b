using CardMall.Application.Features.Wallet;
using CardMall.Web.Hosting;
using MediatR;
using Microsoft.Extensions.Options;

namespace CardMall.Web.Payments;

/// <summary>
/// Every CardMall:TopUps:CheckInterval (15 s) runs one <see cref="CheckPendingTopUps"/> pass: settles the
/// top-ups whose notification was lost and expires the ones nobody paid. Safe on several web nodes (the
/// pass takes an advisory lock).
/// </summary>
public sealed class TopUpWatcher(IServiceScopeFactory scopes, IOptions<TopUpOptions> options, TimeProvider clock, ILogger<TopUpWatcher> logger)
    : PeriodicPass<PendingTopUpsChecked>(scopes, clock, logger)
{
    protected override TimeSpan? Interval => options.Value.CheckInterval;

    protected override IRequest<PendingTopUpsChecked> Pass() => new CheckPendingTopUps(options.Value.CheckAfter);
}
