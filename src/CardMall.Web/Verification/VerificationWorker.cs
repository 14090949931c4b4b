using System.Globalization;
using CardMall.Application.Features.Verification;
using CardMall.Web.Hosting;
using MediatR;
using Microsoft.Extensions.Options;

namespace CardMall.Web.Verification;

/// <summary>
/// Every CardMall:Verification:WorkerInterval (2 s) runs one <see cref="ProcessPendingVerifications"/> pass:
/// the key checks queued by filed complaints are run, so a ticket about an invalid key ends in a new key
/// within seconds. CardMall:Verification:WorkerEnabled switches it; it is on by default except in the
/// Testing environment, where a pass between a test's steps would change tickets under it — tests run
/// <see cref="PeriodicPass{TResult}.RunOnceAsync"/> (or send the pass) themselves. Safe on several nodes:
/// checks are claimed with SKIP LOCKED and a done check is never run again.
/// </summary>
public sealed class VerificationWorker(
    IServiceScopeFactory scopes, IOptions<VerificationOptions> options, IConfiguration configuration, IHostEnvironment environment,
    TimeProvider clock, ILogger<VerificationWorker> logger)
    : PeriodicPass<VerificationPass>(scopes, clock, logger)
{
    public const string EnabledSetting = VerificationOptions.Section + ":WorkerEnabled";

    /// <summary>The worker has no visitor: the notes it writes for agents are in the shop's own language.</summary>
    private static readonly CultureInfo ShopCulture = CultureInfo.GetCultureInfo("zh-CN");

    protected override TimeSpan? Interval => WhenSwitchedOn(configuration, environment, EnabledSetting, options.Value.WorkerInterval);

    protected override IRequest<VerificationPass> Pass() => new ProcessPendingVerifications();

    protected override void BeforePass() => CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = ShopCulture;
}
