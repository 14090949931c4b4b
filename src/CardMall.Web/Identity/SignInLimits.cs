using System.Threading.RateLimiting;
using CardMall.Web.Hosting;

namespace CardMall.Web.Identity;

/// <summary>
/// How often sign-in and registration may be tried (fixed windows, counted where <see cref="RateLimitCounters"/> counts:
/// this node, or every node through Redis): sign-in attempts
/// per client address and per account (CardMall:SignIn:AttemptsPerAddressPerMinute, default 20;
/// AttemptsPerAccountPerMinute, default 10, the brake on guessing one password from many addresses), and
/// registrations per address (RegistrationsPerAddressPerHour, default 10). A refused attempt is answered 429
/// with Retry-After and a form error saying when to try again. The per-account window is short on purpose: a
/// stranger who fills it delays the owner by a minute at most, unlike a lockout.
/// </summary>
public sealed class SignInLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> _signIns;
    private readonly PartitionedRateLimiter<string> _registrations;

    public SignInLimits(IConfiguration configuration, RateLimitCounters counters)
    {
        var section = configuration.GetSection("CardMall:SignIn");
        var perAddress = section.GetValue<int?>("AttemptsPerAddressPerMinute") ?? 20;
        var perAccount = section.GetValue<int?>("AttemptsPerAccountPerMinute") ?? 10;
        var registrations = section.GetValue<int?>("RegistrationsPerAddressPerHour") ?? 10;
        _signIns = PartitionedRateLimiter.Create<string, string>(key => counters.FixedWindow("signin:" + key, Window(
            key.StartsWith("account:", StringComparison.Ordinal) ? perAccount : perAddress, TimeSpan.FromMinutes(1))));
        _registrations = PartitionedRateLimiter.Create<string, string>(key => counters.FixedWindow("register:" + key,
            Window(registrations, TimeSpan.FromHours(1))));
    }

    private static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) =>
        new() { PermitLimit = Math.Max(1, permits), Window = window, QueueLimit = 0, AutoReplenishment = true };

    /// <summary>Null when the attempt may go ahead; otherwise how long to wait. Both counters count every attempt.</summary>
    public async Task<TimeSpan?> SignInAsync(HttpContext http, string email)
    {
        using var byAddress = await _signIns.AcquireAsync("address:" + Address(http));
        using var byAccount = await _signIns.AcquireAsync("account:" + Domain.Accounts.SignInFailures.Normalise(email));
        return Wait(byAddress) ?? Wait(byAccount);
    }

    public async Task<TimeSpan?> RegisterAsync(HttpContext http)
    {
        using var lease = await _registrations.AcquireAsync(Address(http));
        return Wait(lease);
    }

    /// <summary>The client's address as the forwarded-headers rules established it.</summary>
    public static string Address(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static TimeSpan? Wait(RateLimitLease lease) =>
        lease.IsAcquired ? null
        : lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);

    /// <summary>Answers a refused attempt: 429 with Retry-After (whole seconds, at least one).</summary>
    public static int Refuse(HttpContext http, TimeSpan wait)
    {
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        Errors.ApiProblems.SetRetryAfter(http, wait);
        return Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
    }

    public void Dispose()
    {
        _signIns.Dispose();
        _registrations.Dispose();
    }
}
