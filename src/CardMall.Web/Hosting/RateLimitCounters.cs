using System.Threading.RateLimiting;
using RedisRateLimiting;
using StackExchange.Redis;

namespace CardMall.Web.Hosting;

/// <summary>
/// Where the shop's rate-limit counters live (docs/decisions/0040). Without <c>CardMall:Redis</c>: in this node's
/// memory, as ever. With it: in Redis, so N nodes together allow a limit once, not N times — and when Redis cannot be
/// reached, each partition counts in this node's memory again until it can (a limit per node beats refusing or failing
/// every request). Every limit of the shop asks here for its partitions, with the same numbers either way.
/// </summary>
public sealed class RateLimitCounters(ShopRedis redis, ILogger<RateLimitCounters> log)
{
    // The one connection of this node (ShopRedis): while Redis is away it fails at once, and the caller counts here.
    private readonly string _prefix = redis.Prefix + ":";
    private int _perNode;

    /// <summary>Whether counters are shared through Redis right now (false on one node, or while Redis is away).</summary>
    public bool Shared => redis.Connected;

    private ConnectionMultiplexer? Connection => redis.Connection;

    public RateLimitPartition<string> FixedWindow(string key, FixedWindowRateLimiterOptions options) =>
        !redis.Configured
            ? RateLimitPartition.GetFixedWindowLimiter(key, _ => options)
            : RateLimitPartition.Get(key, k => new SharedLimiter(this, new FixedWindowRateLimiter(options), connection =>
                new RedisFixedWindowRateLimiter<string>(_prefix + k, new RedisFixedWindowRateLimiterOptions
                {
                    PermitLimit = options.PermitLimit,
                    Window = options.Window,
                    ConnectionMultiplexerFactory = () => connection,
                })));

    public RateLimitPartition<string> TokenBucket(string key, TokenBucketRateLimiterOptions options) =>
        !redis.Configured
            ? RateLimitPartition.GetTokenBucketLimiter(key, _ => options)
            : RateLimitPartition.Get(key, k => new SharedLimiter(this, new TokenBucketRateLimiter(options), connection =>
                new RedisTokenBucketRateLimiter<string>(_prefix + k, new RedisTokenBucketRateLimiterOptions
                {
                    TokenLimit = options.TokenLimit,
                    TokensPerPeriod = options.TokensPerPeriod,
                    ReplenishmentPeriod = options.ReplenishmentPeriod,
                    ConnectionMultiplexerFactory = () => connection,
                })));

    private void Note(bool shared, Exception? e = null)
    {
        var was = Interlocked.Exchange(ref _perNode, shared ? 0 : 1);
        if (shared && was == 1) log.LogInformation("Rate limits: Redis is back; counters are shared by every node again");
        if (!shared && was == 0) log.LogWarning("Rate limits: Redis unreachable ({Reason}); counting on this node until it returns", e?.GetType().Name ?? "not connected");
    }

    /// <summary>
    /// One partition's limiter: the count in Redis while Redis answers, this node's own count when it does not. Only
    /// the asynchronous path decides — a synchronous attempt says "not now" without counting, which sends ASP.NET
    /// Core's middleware (and every caller here) to <see cref="RateLimiter.AcquireAsync"/>, so a request counts once.
    /// </summary>
    private sealed class SharedLimiter(RateLimitCounters counters, RateLimiter local, Func<IConnectionMultiplexer, RateLimiter> sharedOn)
        : RateLimiter
    {
        private RateLimiter? _shared;

        public override TimeSpan? IdleDuration =>
            local.IdleDuration is { } idle && (_shared is null || _shared.IdleDuration is not null) ? idle : null;

        public override RateLimiterStatistics? GetStatistics() => local.GetStatistics();

        protected override RateLimitLease AttemptAcquireCore(int permitCount) => Undecided.Lease;

        protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
        {
            if (counters.Connection is { IsConnected: true } redis)
            {
                try
                {
                    _shared ??= sharedOn(redis);
                    var lease = await _shared.AcquireAsync(permitCount, cancellationToken);
                    counters.Note(shared: true);
                    return new SharedLease(lease);
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    counters.Note(shared: false, e);
                }
            }
            else
            {
                counters.Note(shared: false);
            }
            return await local.AcquireAsync(permitCount, cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                local.Dispose();
                _shared?.Dispose();
            }
            base.Dispose(disposing);
        }
    }

    /// <summary>A Redis limiter's lease, its wait (whole seconds) named as the framework's limiters name it.</summary>
    private sealed class SharedLease(RateLimitLease lease) : RateLimitLease
    {
        public override bool IsAcquired => lease.IsAcquired;

        public override IEnumerable<string> MetadataNames => [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            if (metadataName != MetadataName.RetryAfter.Name
                || !lease.TryGetMetadata(RateLimitMetadataName.RetryAfter.Name, out var seconds) || seconds is not int s) return false;
            metadata = TimeSpan.FromSeconds(Math.Max(0, s));
            return true;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) lease.Dispose();
            base.Dispose(disposing);
        }
    }

    private sealed class Undecided : RateLimitLease
    {
        public static readonly Undecided Lease = new();

        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
