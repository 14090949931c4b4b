using CardMall.Application.Features.Dashboards;
using CardMall.Web.Hosting;
using MediatR;
using Microsoft.Extensions.Options;

namespace CardMall.Web.Dashboards;

/// <summary>
/// Rebuilds the dashboard rollups when the app starts and every CardMall:Dashboards:RollupInterval (10 min), so
/// the dashboards read a year of data from rollups plus a live tail. CardMall:Dashboards:RollupEnabled switches
/// it; it is off by default in the Testing environment, where tests run the pass themselves. Safe on several
/// nodes: a pass that finds another node's rebuild running skips.
/// </summary>
public sealed class DashboardRollupWorker(
    IServiceScopeFactory scopes, IOptions<DashboardOptions> options, IConfiguration configuration, IHostEnvironment environment,
    TimeProvider clock, ILogger<DashboardRollupWorker> logger)
    : PeriodicPass<DashboardRollupsRefreshed>(scopes, clock, logger)
{
    public const string EnabledSetting = DashboardOptions.Section + ":RollupEnabled";

    protected override TimeSpan? Interval => WhenSwitchedOn(configuration, environment, EnabledSetting, options.Value.RollupInterval);

    protected override bool RunAtStart => true;

    protected override IRequest<DashboardRollupsRefreshed> Pass() => new RefreshDashboardRollups();
}
