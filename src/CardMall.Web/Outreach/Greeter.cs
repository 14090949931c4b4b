using CardMall.Application.Features.Outreach;
using CardMall.Web.Hosting;
using MediatR;
using Microsoft.Extensions.Options;

namespace CardMall.Web.Outreach;

/// <summary>
/// Every CardMall:Greetings:PassInterval (15 min) runs one <see cref="SendGreetings"/> pass: birthday, Spring
/// Festival and Mid-Autumn greetings, at most one a day per buyer. CardMall:Greetings:PassEnabled switches the
/// timer; it is on by default except in the Testing environment, where tests move the clock and run
/// <see cref="PeriodicPass{TResult}.RunOnceAsync"/> themselves. Safe on several web nodes: a session lock lets
/// one pass run at a time, and each greeting is a row the database keeps unique per buyer and day.
/// Nothing of it runs on a request.
/// </summary>
public sealed class Greeter(
    IServiceScopeFactory scopes, IOptions<GreetingOptions> options, IConfiguration configuration, IHostEnvironment environment,
    TimeProvider clock, ILogger<Greeter> logger)
    : PeriodicPass<GreetingPass>(scopes, clock, logger)
{
    public const string EnabledSetting = GreetingOptions.Section + ":PassEnabled";

    protected override TimeSpan? Interval => WhenSwitchedOn(configuration, environment, EnabledSetting, options.Value.PassInterval);

    protected override IRequest<GreetingPass> Pass() => new SendGreetings();
}
