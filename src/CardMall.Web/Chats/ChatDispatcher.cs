using CardMall.Application.Features.Chats;
using CardMall.Web.Hosting;
using MediatR;
using Microsoft.Extensions.Options;

namespace CardMall.Web.Chats;

/// <summary>
/// Every CardMall:Chat:PassInterval (1 s) runs one <see cref="DispatchChats"/> pass: lapsed offers move on, waiting
/// chats are offered to free agents, and every waiting buyer hears their new place. Chat:DispatcherEnabled switches
/// it (off in the Testing environment, where tests run the pass themselves). Safe on several nodes: the pass takes an
/// advisory lock.
/// </summary>
public sealed class ChatDispatcher(
    IServiceScopeFactory scopes, IOptions<ChatOptions> options, IConfiguration configuration, IHostEnvironment environment,
    TimeProvider clock, ILogger<ChatDispatcher> logger)
    : PeriodicPass<ChatDispatchPass>(scopes, clock, logger)
{
    public const string EnabledSetting = ChatOptions.Section + ":DispatcherEnabled";

    protected override TimeSpan? Interval => WhenSwitchedOn(configuration, environment, EnabledSetting, options.Value.PassInterval);

    protected override IRequest<ChatDispatchPass> Pass() => new DispatchChats();
}
