using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Threading.RateLimiting;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Common;
using CardMall.Web.Api;
using CardMall.Web.Errors;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace CardMall.Web.Hosting;

/// <summary>The surfaces whose submissions count against a limit of their own (see <see cref="RateLimitedPostAttribute"/>).</summary>
public enum ShopLimit
{
    /// <summary>/Redeem: per user and per client address (guessing membership codes).</summary>
    Redeem,

    /// <summary>Filing a ticket and replying on one, with their images: per user.</summary>
    TicketWriting,

    /// <summary>A supplier's activation webhook: per supplier code.</summary>
    SupplierWebhook,

    /// <summary>Guest checkout: per client address (each order holds stock while it waits for its payment).</summary>
    GuestCheckout,

    /// <summary>The order lookup and the claim form: per client address (guessing lookup passwords).</summary>
    GuestLookup,
}

/// <summary>
/// Marks a page or endpoint whose POSTs count against one of the shop's limits. On a page with several handlers,
/// <see cref="Handler"/> names the one that counts (<c>""</c> for the plain <c>OnPost</c>); null counts every POST.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true)]
public sealed class RateLimitedPostAttribute(ShopLimit limit) : Attribute
{
    public ShopLimit Limit { get; } = limit;

    public string? Handler { get; init; }
}

/// <summary>A fixed-window limit: at most <see cref="Permits"/> requests in <see cref="WindowSeconds"/>.</summary>
public sealed class WindowLimit
{
    public int Permits { get; set; }

    public int WindowSeconds { get; set; }

    internal FixedWindowRateLimiterOptions ToOptions() => new()
    {
        PermitLimit = Math.Max(1, Permits),
        Window = TimeSpan.FromSeconds(Math.Max(1, WindowSeconds)),
        QueueLimit = 0,
    };
}

/// <summary>Configuration section <c>CardMall:RateLimits</c> (docs/operations.md, "Rate limits").</summary>
public sealed class ShopRateLimitOptions
{
    public const string Section = "CardMall:RateLimits";

    /// <summary>The JSON API's token bucket per API key: sustained requests a second…</summary>
    public int ApiRequestsPerSecond { get; set; } = 20;

    /// <summary>…and the burst a key may spend at once (the bucket's size).</summary>
    public int ApiBurst { get; set; } = 100;

    public WindowLimit RedeemPerUser { get; set; } = new() { Permits = 10, WindowSeconds = 600 };

    public WindowLimit RedeemPerAddress { get; set; } = new() { Permits = 30, WindowSeconds = 600 };

    public WindowLimit TicketWritesPerUser { get; set; } = new() { Permits = 20, WindowSeconds = 600 };

    public WindowLimit SupplierWebhooksPerSupplier { get; set; } = new() { Permits = 600, WindowSeconds = 60 };

    public WindowLimit GuestCheckoutsPerAddress { get; set; } = new() { Permits = 10, WindowSeconds = 600 };

    public WindowLimit GuestLookupsPerAddress { get; set; } = new() { Permits = 20, WindowSeconds = 600 };
}

/// <summary>
/// The one home of the shop's rate limits (ASP.NET Core's rate limiter; docs/decisions/0022). The shop's own limits
/// form one global, chained limiter — the JSON API's token bucket per key and the per-surface windows — so a request
/// is held by every limit that applies to it; named policies (the assistant's, sign-in's) add theirs on top. Every
/// refusal is a 429 with <c>Retry-After</c> in whole seconds: problem+json <c>rate_limited</c> on the API, the
/// status page on pages. Counters live in this node's memory, or with <c>CardMall:Redis</c> in Redis, shared by every
/// node (<see cref="RateLimitCounters"/>, docs/decisions/0040).
/// </summary>
public static class ShopRateLimits
{
    public static IServiceCollection AddShopRateLimits(this IServiceCollection services)
    {
        services.AddSingleton<RateLimitCounters>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<ShopRateLimitOptions>().BindConfiguration(ShopRateLimitOptions.Section);
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<ShopRateLimitOptions>, RateLimitCounters>((o, options, counters) =>
        {
            var limits = options.Value;
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http => ApiBucket(http, limits, counters)),
                Window(ShopLimit.Redeem, limits.RedeemPerUser, UserOf, counters),
                Window(ShopLimit.Redeem, limits.RedeemPerAddress, AddressOf, counters),
                Window(ShopLimit.TicketWriting, limits.TicketWritesPerUser, UserOf, counters),
                Window(ShopLimit.SupplierWebhook, limits.SupplierWebhooksPerSupplier, SupplierOf, counters),
                Window(ShopLimit.GuestCheckout, limits.GuestCheckoutsPerAddress, AddressOf, counters),
                Window(ShopLimit.GuestLookup, limits.GuestLookupsPerAddress, AddressOf, counters));
            o.AddPolicy(AssistantApi.Policy, http => counters.FixedWindow(
                $"{AssistantApi.Policy}:{UserOf(http)}",
                new FixedWindowRateLimiterOptions { PermitLimit = AssistantApi.PerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.AddPolicy(ChatsApi.Policy, http => counters.FixedWindow(
                $"{ChatsApi.Policy}:{UserOf(http)}",
                new FixedWindowRateLimiterOptions { PermitLimit = ChatsApi.PerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.OnRejected = (context, _) => RejectAsync(context);
        });
        return services;
    }

    private static RateLimitPartition<string> ApiBucket(HttpContext http, ShopRateLimitOptions limits, RateLimitCounters counters)
    {
        if (!ApiProblems.IsApi(http.Request.Path) || Marked(http, ShopLimit.SupplierWebhook))
            return RateLimitPartition.GetNoLimiter("");
        // Per key, before anything else is believed about it: the SHA-256 the shop stores, never the key itself.
        string? header = http.Request.Headers.Authorization;
        var partition = header is { Length: > 7 } && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? "key:" + ApiKey.Hash(header["Bearer ".Length..].Trim())
            : "address:" + AddressOf(http);
        return counters.TokenBucket("api:" + partition, new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, limits.ApiBurst),
            TokensPerPeriod = Math.Max(1, limits.ApiRequestsPerSecond),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            AutoReplenishment = true,
            QueueLimit = 0,
        });
    }

    private static PartitionedRateLimiter<HttpContext> Window(ShopLimit limit, WindowLimit window, Func<HttpContext, string> partitionOf,
        RateLimitCounters counters) =>
        PartitionedRateLimiter.Create<HttpContext, string>(http => Marked(http, limit)
            ? counters.FixedWindow($"{limit}:{partitionOf(http)}", window.ToOptions())
            : RateLimitPartition.GetNoLimiter(""));

    /// <summary>Whether this request is a POST that counts against <paramref name="limit"/>.</summary>
    private static bool Marked(HttpContext http, ShopLimit limit)
    {
        if (!HttpMethods.IsPost(http.Request.Method)) return false;
        var marks = http.GetEndpoint()?.Metadata.GetOrderedMetadata<RateLimitedPostAttribute>();
        if (marks is null || marks.Count == 0) return false;
        var handler = http.Request.Query["handler"].ToString();
        if (handler.Length == 0) handler = http.GetRouteValue("handler") as string ?? "";
        return marks.Any(m => m.Limit == limit && (m.Handler is null || string.Equals(m.Handler, handler, StringComparison.OrdinalIgnoreCase)));
    }

    private static string UserOf(HttpContext http) =>
        http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } user ? "user:" + user : "address:" + AddressOf(http);

    // The client's address as the forwarded-headers middleware established it (the proxy's is not the client's).
    private static string AddressOf(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? IPAddress.None.ToString();

    // A supplier code is at most 64 characters; a longer one is not a supplier and shares one partition.
    private static string SupplierOf(HttpContext http) =>
        http.GetRouteValue("supplierCode") is string { Length: <= 64 } code ? code : "-";

    private static async ValueTask RejectAsync(OnRejectedContext context)
    {
        var http = context.HttpContext;
        // The limiters replenish on a timer that ticks a little after the moment they name: one second more, so
        // that a client which waits exactly as long as told always gets through.
        var wait = (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.Zero) + TimeSpan.FromSeconds(1);
        ApiProblems.SetRetryAfter(http, wait);
        if (ApiProblems.IsApi(http.Request.Path))
        {
            await ApiProblems.WriteAsync(http, StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited,
                AppText.Format("RateLimit.TooFast", http.Response.Headers.RetryAfter.ToString()));
            return;
        }
        // Pages: no body here; the status-code pages re-execute /Status/429, which says how long to wait.
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
    }

    /// <summary>The seconds a 429 asked the client to wait, for the status page.</summary>
    public static int? RetryAfterSeconds(HttpResponse response) =>
        int.TryParse(response.Headers.RetryAfter.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : null;
}
