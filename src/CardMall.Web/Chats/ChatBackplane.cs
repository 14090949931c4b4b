using StackExchange.Redis;

namespace CardMall.Web.Chats;

/// <summary>
/// SignalR for the chat hub, and with several web nodes its Redis backplane: <c>CardMall:Redis</c> (a
/// StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379</c>) switches it on, so a group or user send on one
/// node reaches connections on every node. Empty (the default): one node, nothing beyond PostgreSQL. The chats
/// themselves never live in Redis — messages are stored in PostgreSQL before they are sent, the queue and routing
/// are PostgreSQL's; Redis only carries the sends between nodes (docs/decisions/0036).
/// </summary>
public static class ChatBackplane
{
    public const string RedisSetting = "CardMall:Redis";

    /// <summary>Channels are named under this prefix, so shops (or test runs) sharing one Redis do not hear each other.</summary>
    public const string ChannelPrefixSetting = "CardMall:RedisChannelPrefix";

    public static IServiceCollection AddChatLive(this IServiceCollection services, IConfiguration configuration)
    {
        var signalR = services.AddSignalR();
        var redis = configuration[RedisSetting];
        if (string.IsNullOrWhiteSpace(redis)) return services;
        var prefix = configuration[ChannelPrefixSetting] is { Length: > 0 } p ? p : "cardmall";
        signalR.AddStackExchangeRedis(redis, o =>
        {
            o.Configuration.ChannelPrefix = RedisChannel.Literal(prefix);
            // A node starts (and serves its own connections) while Redis is still coming up; it connects when it can.
            o.Configuration.AbortOnConnectFail = false;
        });
        return services;
    }
}
