using CardMall.Application.Features.Verification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Retry;
using Polly.Timeout;

namespace CardMall.Infrastructure.Suppliers;

/// <summary>
/// One resilience pipeline per supplier (Polly 8), kept for the life of the process so that each supplier
/// has its own circuit: one supplier's outage never stops calls to another. From the outside in:
/// <list type="bullet">
/// <item>a circuit breaker that opens after <see cref="VerificationOptions.BreakAfterFailures"/> failed calls
/// with no success among them, and stays open for <see cref="VerificationOptions.BreakFor"/>; while open a call
/// fails at once (<see cref="BrokenCircuitException"/>) without reaching the supplier;</item>
/// <item>retries of transient failures (timeouts, connection errors, 5xx) with exponential back-off;</item>
/// <item>a timeout per attempt of <see cref="VerificationOptions.SupplierTimeout"/>.</item>
/// </list>
/// A failed call is one that gives no usable answer after its retries (see <see cref="SupplierReply.IsUsable"/>).
/// <para>
/// The pipelines run on a clock of their own (<see cref="ClockKey"/>, the real one): a breaker measures how long a
/// supplier has really been failing, so the shop's <see cref="TimeProvider"/> — which tests stop and move for due
/// dates — must not keep a circuit open (or a failure window) forever. Its own key lets the tests of the breaker
/// and the back-off move this clock by hand instead of waiting (docs/decisions/0033).
/// </para>
/// </summary>
internal sealed class SupplierCircuits(IOptions<VerificationOptions> options, [FromKeyedServices(SupplierCircuits.ClockKey)] TimeProvider clock)
    : IDisposable
{
    /// <summary>The key of the pipelines' clock among the keyed <see cref="TimeProvider"/> services.</summary>
    public const string ClockKey = "supplier-circuits";

    private readonly ResiliencePipelineRegistry<Guid> _pipelines = new();

    internal ResiliencePipeline<SupplierReply> For(Guid supplierId) =>
        _pipelines.GetOrAddPipeline<SupplierReply>(supplierId, builder => Build(builder, options.Value, clock));

    public void Dispose() => _pipelines.Dispose();

    private static void Build(ResiliencePipelineBuilder<SupplierReply> builder, VerificationOptions settings, TimeProvider clock)
    {
        builder.TimeProvider = clock;

        var retries = Math.Max(0, settings.SupplierRetries);
        var timeout = settings.SupplierTimeout > TimeSpan.Zero ? settings.SupplierTimeout : TimeSpan.FromSeconds(3);
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<SupplierReply>
        {
            ShouldHandle = args => ValueTask.FromResult(IsFailure(args.Outcome)),
            // Every call in the window failed, and there were at least this many: "N failures in a row",
            // as Polly 8's breaker (a failure ratio over a window) expresses it; Polly needs at least 2.
            FailureRatio = 1.0,
            MinimumThroughput = Math.Max(2, settings.BreakAfterFailures),
            // Long enough for N calls that each fail as slowly as possible (every attempt timing out).
            SamplingDuration = Max(TimeSpan.FromSeconds(30),
                (timeout * (retries + 1) + RetryDelays(settings.RetryDelay, retries)) * Math.Max(2, settings.BreakAfterFailures)),
            BreakDuration = Max(TimeSpan.FromMilliseconds(500), settings.BreakFor),
        });
        if (retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<SupplierReply>
            {
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                MaxRetryAttempts = retries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = settings.RetryDelay,
                // Without jitter the worst case is known: timeout × (retries + 1) plus the delays.
                UseJitter = false,
            });
        }
        builder.AddTimeout(timeout);
    }

    /// <summary>Worth another attempt: the supplier may answer next time.</summary>
    private static bool IsTransient(Outcome<SupplierReply> outcome) => outcome.Exception switch
    {
        HttpRequestException or TimeoutRejectedException => true,
        null => outcome.Result is { Status: >= 500 },
        _ => false,
    };

    /// <summary>Counts against the supplier's circuit: no usable answer.</summary>
    private static bool IsFailure(Outcome<SupplierReply> outcome) => outcome.Exception switch
    {
        HttpRequestException or TimeoutRejectedException => true,
        null => outcome.Result is not { IsUsable: true },
        _ => false,
    };

    private static TimeSpan RetryDelays(TimeSpan first, int retries) =>
        TimeSpan.FromTicks(Enumerable.Range(0, retries).Sum(i => first.Ticks << i));

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

/// <summary>What one attempt got back: the HTTP status and, for a 2xx, the parsed answer (null when it made no sense).</summary>
internal sealed record SupplierReply(int Status, object? Answer)
{
    public bool IsSuccessStatus => Status is >= 200 and < 300;

    public bool IsUsable => IsSuccessStatus && Answer is not null;
}
