using System.Globalization;
using CardMall.Application.Features.Catalog;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.OutputCaching.StackExchangeRedis;

namespace CardMall.Web.Hosting;

/// <summary>
/// The output cache in front of the catalogue: a promotion's crowd reads the same few pages, so each node
/// renders them once per <see cref="CatalogueOptions.PageCacheDuration"/> (one second by default) and in
/// each language. Only anonymous visitors' pages are stored (a signed-in buyer sees tier prices and their
/// own badge); the products API is stored per tier and language, because every caller with a key of that
/// tier gets the same answer. Stock on a stored page is at most that old plus the shelf's stock age. Every stored
/// answer carries the tag <see cref="Tag"/>, evicted when the catalogue changes (<see cref="EveryNode"/>). With
/// <c>CardMall:Redis</c> the answers are stored in Redis, one copy for every node, falling back to this node's memory
/// while Redis is away (<see cref="SharedOutputCacheStore"/>, docs/decisions/0041).
/// </summary>
public static class CatalogueCaching
{
    public const string Pages = "CataloguePages";
    public const string Api = "CatalogueApi";

    /// <summary>The tag of every stored catalogue answer: a change to the catalogue evicts them all.</summary>
    public const string Tag = "catalogue";

    private const string InMemory = "in-memory";
    private const string InRedis = "in-redis";

    public static IServiceCollection AddCatalogueCaching(this IServiceCollection services)
    {
        services.AddOutputCache();
        // Both stores are the packages' own (their types are internal): each registration is kept under a key, and the
        // store the middleware uses is chosen once ShopRedis knows whether CardMall:Redis is set.
        var inMemory = services.Last(d => d.ServiceType == typeof(IOutputCacheStore));
        services.Remove(inMemory);
        services.AddStackExchangeRedisOutputCache(_ => { });
        var inRedis = services.Last(d => d.ServiceType == typeof(IOutputCacheStore));
        services.Remove(inRedis);
        services.AddKeyedSingleton(typeof(IOutputCacheStore), InMemory, (sp, _) => inMemory.ImplementationFactory!(sp));
        services.AddKeyedSingleton(typeof(IOutputCacheStore), InRedis, inRedis.ImplementationType!);
        services.AddOptions<RedisOutputCacheOptions>().Configure<ShopRedis>((o, redis) =>
        {
            // Shops (or test runs) sharing a Redis keep their pages apart; the one connection of the node is used.
            o.InstanceName = redis.Prefix + ":pages:";
            o.ConnectionMultiplexerFactory = redis.ConnectionAsync;
        });
        services.AddSingleton<IOutputCacheStore>(sp =>
        {
            var memory = sp.GetRequiredKeyedService<IOutputCacheStore>(InMemory);
            var redis = sp.GetRequiredService<ShopRedis>();
            return redis.Configured
                ? new SharedOutputCacheStore(sp.GetRequiredKeyedService<IOutputCacheStore>(InRedis), memory, redis,
                    sp.GetRequiredService<ILogger<SharedOutputCacheStore>>())
                : memory;
        });
        services.AddOptions<OutputCacheOptions>().Configure<Microsoft.Extensions.Options.IOptions<CatalogueOptions>>((o, catalogue) =>
        {
            var duration = catalogue.Value.PageCacheDuration;
            // Search terms vary the key: keep what strangers can fill bounded.
            o.SizeLimit = 64L * 1024 * 1024;
            o.MaximumBodySize = 1024 * 1024;
            o.AddPolicy(Pages, new CataloguePolicy(duration, forApiKeys: false));
            o.AddPolicy(Api, new CataloguePolicy(duration, forApiKeys: true));
        });
        return services;
    }

    /// <summary>
    /// GET requests only; pages for anonymous visitors, the API for signed-in keys; varied by language (and
    /// tier for the API) and every query value; stored only when the answer is a 200 that sets no cookie.
    /// </summary>
    private sealed class CataloguePolicy(TimeSpan duration, bool forApiKeys) : IOutputCachePolicy
    {
        public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
        {
            var http = context.HttpContext;
            var signedIn = http.User.Identity?.IsAuthenticated == true;
            var use = duration > TimeSpan.Zero
                      && (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
                      && (forApiKeys ? signedIn : !signedIn && !http.Request.Headers.ContainsKey("Authorization"));
            context.EnableOutputCaching = use;
            context.AllowCacheLookup = use;
            context.AllowCacheStorage = use;
            context.AllowLocking = true;
            if (!use) return ValueTask.CompletedTask;
            context.ResponseExpirationTimeSpan = duration;
            context.Tags.Add(Tag);
            context.CacheVaryByRules.QueryKeys = "*";
            context.CacheVaryByRules.VaryByValues["culture"] = CultureInfo.CurrentUICulture.Name;
            if (forApiKeys)
                context.CacheVaryByRules.VaryByValues["tier"] = http.User.FindFirst("tier")?.Value ?? "";
            return ValueTask.CompletedTask;
        }

        public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

        public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
        {
            var response = context.HttpContext.Response;
            if (response.StatusCode != StatusCodes.Status200OK || response.Headers.SetCookie.Count > 0)
                context.AllowCacheStorage = false;
            return ValueTask.CompletedTask;
        }
    }
}
