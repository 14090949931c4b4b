using CardMall.Web.Chats;
using StackExchange.Redis;

namespace CardMall.Web.Hosting;

/// <summary>
/// This node's one connection to Redis (<c>CardMall:Redis</c>), shared by what the nodes share through it: the rate-limit
/// counters (0040), the output cache and the news of what to forget (0041). Empty setting: no connection, one node. The
/// connection starts without Redis and connects when it comes (<c>AbortOnConnectFail=false</c>); while Redis is away a
/// call fails at once (<c>BacklogPolicy.FailFast</c>, 1 s timeouts) rather than holding a request, and the caller falls
/// back to this node's memory. (The chat backplane keeps the connection its package makes: 0036.)
/// </summary>
public sealed class ShopRedis : IDisposable
{
    private readonly Task<ConnectionMultiplexer?>? _connecting;

    public ShopRedis(IConfiguration configuration, ILogger<ShopRedis> log)
    {
        Prefix = configuration[ChatBackplane.ChannelPrefixSetting] is { Length: > 0 } p ? p : "cardmall";
        var redis = configuration[ChatBackplane.RedisSetting];
        if (string.IsNullOrWhiteSpace(redis)) return;
        var options = ConfigurationOptions.Parse(redis);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = 2000;
        options.AsyncTimeout = 1000;
        options.SyncTimeout = 1000;
        _connecting = ConnectAsync(options, log);
    }

    /// <summary>Whether <c>CardMall:Redis</c> is set (several nodes), connected or not.</summary>
    public bool Configured => _connecting is not null;

    /// <summary>What this shop's keys and channels in Redis begin with (<c>CardMall:RedisChannelPrefix</c>, default <c>cardmall</c>).</summary>
    public string Prefix { get; }

    /// <summary>The connection once made (it may be disconnected right now); null on one node or before it is made.</summary>
    public ConnectionMultiplexer? Connection => _connecting is { IsCompletedSuccessfully: true } c ? c.Result : null;

    /// <summary>Whether Redis answers right now.</summary>
    public bool Connected => Connection is { IsConnected: true };

    /// <summary>The connection for packages that make their own when not given one; fails when it cannot be made at all.</summary>
    public async Task<IConnectionMultiplexer> ConnectionAsync() =>
        await (_connecting ?? Task.FromResult<ConnectionMultiplexer?>(null))
        ?? throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "CardMall:Redis is not usable on this node");

    private static async Task<ConnectionMultiplexer?> ConnectAsync(ConfigurationOptions options, ILogger log)
    {
        try
        {
            return await ConnectionMultiplexer.ConnectAsync(options);
        }
        catch (RedisException e)
        {
            log.LogError(e, "Redis: cannot use it ({Reason}); this node keeps its limits, output cache and caches to itself", e.GetType().Name);
            return null;
        }
    }

    public void Dispose()
    {
        if (Connection is { } connection) connection.Dispose();
    }
}
