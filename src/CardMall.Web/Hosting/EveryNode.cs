using CardMall.Application.Abstractions;
using Microsoft.AspNetCore.OutputCaching;
using StackExchange.Redis;

namespace CardMall.Web.Hosting;

/// <summary>
/// How a committed change reaches every node (docs/decisions/0041). This node forgets what went stale — its caches and
/// the stored catalogue answers — and with <c>CardMall:Redis</c> it tells the others on the channel
/// <c>{prefix}:forget</c>, which every node listens to. Redis away: this node still forgets, the failure to tell is
/// logged and swallowed, and the others see the change when their copies reach their age; a node whose connection comes
/// back forgets everything it holds, because it may have missed news meanwhile.
/// </summary>
public sealed class EveryNode(ShopRedis redis, IEnumerable<INodeCache> caches, IOutputCacheStore pages, ILogger<EveryNode> log)
    : IEveryNode, IHostedService
{
    // Who sent a message: a node does not act twice on its own news.
    private readonly string _node = Guid.NewGuid().ToString("N");
    private int _listening;
    private int _unheard;

    private RedisChannel Channel => RedisChannel.Literal(redis.Prefix + ":forget");

    /// <summary>Whether this node hears the others right now (on one node: never).</summary>
    public bool Listening => Volatile.Read(ref _listening) == 1 && redis.Connected;

    public async Task ForgetAsync(Stale what, CancellationToken ct)
    {
        await ForgetHereAsync(what);
        if (!redis.Configured) return;
        try
        {
            var connection = redis.Connection is { IsConnected: true } c
                ? c
                : throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "not connected");
            await connection.GetSubscriber().PublishAsync(Channel, _node + " " + Message(what));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            log.LogWarning("Caches: could not tell the other nodes to forget {What} ({Reason}); they see it within their caches' ages",
                what.GetType().Name, e.GetType().Name);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (redis.Configured) _ = ListenAsync();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task ForgetHereAsync(Stale what)
    {
        foreach (var cache in caches)
            cache.Forget(what);
        if (what is Stale.Catalogue or Stale.Everything)
            await pages.EvictByTagAsync(CatalogueCaching.Tag, CancellationToken.None);
    }

    private async Task ListenAsync()
    {
        IConnectionMultiplexer connection;
        try
        {
            connection = await redis.ConnectionAsync();
        }
        catch (RedisException)
        {
            return; // ShopRedis said why; this node keeps its caches to itself.
        }
        connection.ConnectionFailed += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Subscription && Interlocked.Exchange(ref _unheard, 1) == 0)
                log.LogWarning("Caches: Redis unreachable ({Reason}); changes made on other nodes reach this one within its caches' ages", e.FailureType);
        };
        connection.ConnectionRestored += (sender, e) =>
        {
            if (e.ConnectionType == ConnectionType.Subscription) _ = RestoredAsync(connection);
        };
        await SubscribeAsync(connection);
    }

    private async Task SubscribeAsync(IConnectionMultiplexer connection)
    {
        if (Volatile.Read(ref _listening) == 1) return;
        try
        {
            await connection.GetSubscriber().SubscribeAsync(Channel, (channel, message) => _ = HeardAsync(message));
            Interlocked.Exchange(ref _listening, 1);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Tried again when the connection comes back (RestoredAsync).
            Interlocked.Exchange(ref _unheard, 1);
            log.LogWarning("Caches: cannot listen to the other nodes yet ({Reason})", e.GetType().Name);
        }
    }

    private async Task RestoredAsync(IConnectionMultiplexer connection)
    {
        try
        {
            await SubscribeAsync(connection);
            // News sent while this node could not hear it is lost: whatever it kept may be stale.
            await ForgetHereAsync(new Stale.Everything());
            if (Interlocked.Exchange(ref _unheard, 0) == 1)
                log.LogInformation("Caches: Redis is back; this node forgot what it kept and hears the other nodes again");
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Caches: forgetting after Redis came back failed");
        }
    }

    private async Task HeardAsync(RedisValue message)
    {
        try
        {
            var parts = ((string?)message ?? "").Split(' ');
            if (parts.Length < 2 || parts[0] == _node) return;
            if (Parse(parts.AsSpan(1)) is { } what)
                await ForgetHereAsync(what);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Caches: acting on another node's news failed");
        }
    }

    private static string Message(Stale what) => what switch
    {
        Stale.Catalogue => "catalogue",
        Stale.Account a => "account " + a.UserId.ToString("N"),
        Stale.UnreadCount u => "unread " + u.UserId.ToString("N"),
        _ => "everything",
    };

    private static Stale? Parse(ReadOnlySpan<string> words) => words switch
    {
        ["catalogue"] => new Stale.Catalogue(),
        ["account", var id] when Guid.TryParseExact(id, "N", out var userId) => new Stale.Account(userId),
        ["unread", var id] when Guid.TryParseExact(id, "N", out var userId) => new Stale.UnreadCount(userId),
        ["everything"] => new Stale.Everything(),
        _ => null,
    };
}
