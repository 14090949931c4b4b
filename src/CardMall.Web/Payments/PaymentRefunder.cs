using CardMall.Application.Features.Payments;
using CardMall.Application.Features.Wallet;
using CardMall.Web.Hosting;
using MediatR;
using Microsoft.Extensions.Options;

namespace CardMall.Web.Payments;

/// <summary>
/// On the top-up watcher's beat, one <see cref="PayBackPayments"/> pass: money decided to go back (a late or second
/// payment, an after-sales refund of a gateway order) is asked of its gateway, or credited to the wallet when the
/// gateway cannot. Off in Testing unless CardMall:OrderPayments:WatcherEnabled (tests run the pass themselves). Safe on several web nodes (advisory lock, refund row locks, idempotent refund numbers).
/// </summary>
public sealed class PaymentRefunder(
    IServiceScopeFactory scopes, IOptions<TopUpOptions> options, IConfiguration configuration, IHostEnvironment environment, TimeProvider clock, ILogger<PaymentRefunder> logger)
    : PeriodicPass<PaymentsPaidBack>(scopes, clock, logger)
{
    protected override TimeSpan? Interval =>
        WhenSwitchedOn(configuration, environment, "CardMall:OrderPayments:WatcherEnabled", options.Value.CheckInterval);

    protected override IRequest<PaymentsPaidBack> Pass() => new PayBackPayments();
}
