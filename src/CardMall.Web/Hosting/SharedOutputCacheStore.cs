using Microsoft.AspNetCore.OutputCaching;
using StackExchange.Redis;

namespace CardMall.Web.Hosting;

/// <summary>
/// The output cache with several nodes: stored answers live in Redis, one copy for every node, while Redis answers; while
/// it does not (disconnected, or a call throws or times out) this node stores and serves them in its own memory, as on
/// one node. A cache outage must never become a shop outage: a page is rendered again rather than failed. Evicting a tag
/// evicts it in both places, so nothing kept in memory during an outage outlives a change.
/// </summary>
public sealed class SharedOutputCacheStore(IOutputCacheStore redis, IOutputCacheStore memory, ShopRedis connection,
    ILogger<SharedOutputCacheStore> log) : IOutputCacheStore
{
    private int _inMemory;

    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        if (connection.Connected)
        {
            try
            {
                var found = await redis.GetAsync(key, cancellationToken);
                Note(shared: true);
                return found;
            }
            catch (Exception e) when (IsOutage(e))
            {
                Note(shared: false, e);
            }
        }
        else
        {
            Note(shared: false);
        }
        return await memory.GetAsync(key, cancellationToken);
    }

    public async ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        if (connection.Connected)
        {
            try
            {
                await redis.SetAsync(key, value, tags, validFor, cancellationToken);
                return;
            }
            catch (Exception e) when (IsOutage(e))
            {
                Note(shared: false, e);
            }
        }
        await memory.SetAsync(key, value, tags, validFor, cancellationToken);
    }

    public async ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken)
    {
        await memory.EvictByTagAsync(tag, cancellationToken);
        if (!connection.Connected) return;
        try
        {
            await redis.EvictByTagAsync(tag, cancellationToken);
        }
        catch (Exception e) when (IsOutage(e))
        {
            // What Redis still holds expires within its duration; a node whose connection comes back evicts it (EveryNode).
            Note(shared: false, e);
        }
    }

    private static bool IsOutage(Exception e) => e is RedisException or TimeoutException or System.Net.Sockets.SocketException;

    private void Note(bool shared, Exception? e = null)
    {
        var was = Interlocked.Exchange(ref _inMemory, shared ? 0 : 1);
        if (shared && was == 1) log.LogInformation("Output cache: Redis is back; pages are stored for every node again");
        if (!shared && was == 0)
            log.LogWarning("Output cache: Redis unreachable ({Reason}); pages are stored in this node's memory until it returns", e?.GetType().Name ?? "not connected");
    }
}
