using CardMall.Application.Features.Tickets;
using CardMall.Web.Hosting;
using MediatR;
using Microsoft.Extensions.Options;

namespace CardMall.Web.Tickets;

/// <summary>
/// Every CardMall:AfterSales:WatchInterval (30 s) runs one <see cref="WatchSlas"/> pass: warnings at 80 %,
/// escalation on breach, auto-close, check-ins. CardMall:AfterSales:WatcherEnabled switches it; it is on
/// by default except in the Testing environment, where a pass every 30 s would change tickets between a
/// test's steps — tests that move the clock run <see cref="PeriodicPass{TResult}.RunOnceAsync"/> themselves.
/// Safe on several web nodes: the pass takes an advisory lock and claims its tickets.
/// </summary>
public sealed class SlaWatcher(
    IServiceScopeFactory scopes, IOptions<AfterSalesOptions> options, IConfiguration configuration, IHostEnvironment environment,
    TimeProvider clock, ILogger<SlaWatcher> logger)
    : PeriodicPass<SlaWatchPass>(scopes, clock, logger)
{
    public const string EnabledSetting = AfterSalesOptions.Section + ":WatcherEnabled";

    protected override TimeSpan? Interval => WhenSwitchedOn(configuration, environment, EnabledSetting, options.Value.WatchInterval);

    protected override IRequest<SlaWatchPass> Pass() => new WatchSlas();
}
