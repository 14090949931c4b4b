using CardMall.Application.Features.Orders;
using CardMall.Application.Features.Wallet;
using CardMall.Web.Hosting;
using MediatR;
using Microsoft.Extensions.Options;

namespace CardMall.Web.Payments;

/// <summary>
/// On the top-up watcher's beat (CardMall:TopUps:CheckInterval, 15 s), one <see cref="CheckAwaitingOrders"/> pass:
/// delivers the orders whose payment notification was lost and expires the ones nobody paid, giving their keys
/// back. Off in Testing unless CardMall:OrderPayments:WatcherEnabled (tests run the pass themselves). Safe on several web nodes (the pass takes an advisory lock).
/// </summary>
public sealed class OrderPaymentWatcher(
    IServiceScopeFactory scopes, IOptions<TopUpOptions> options, IConfiguration configuration, IHostEnvironment environment, TimeProvider clock, ILogger<OrderPaymentWatcher> logger)
    : PeriodicPass<AwaitingOrdersChecked>(scopes, clock, logger)
{
    protected override TimeSpan? Interval =>
        WhenSwitchedOn(configuration, environment, "CardMall:OrderPayments:WatcherEnabled", options.Value.CheckInterval);

    protected override IRequest<AwaitingOrdersChecked> Pass() => new CheckAwaitingOrders(options.Value.CheckAfter);
}
