using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using CardMall.Application.Abstractions;
using CardMall.Application.Telemetry;
using MediatR;
using Microsoft.Extensions.Logging;

namespace CardMall.Application.Behaviors;

/// <summary>
/// First in the pipeline: logs the request type, its identifiers, the outcome and the elapsed time, and hands a
/// committed outcome to the shop's metrics (orders placed, checkout time, tickets resolved, SLA breaches).
/// Never the body — requests carry card keys, secrets and personal data. Only ids are logged: Guid or
/// integer properties named …Id/…Ids/…No, and the shop's own public numbers (OrderNo, TicketNo, TopUpNo). A
/// string is never logged for its name alone, so a future "CardNo" cannot leak a key.
/// </summary>
internal sealed class LoggingBehavior<TRequest, TResponse>(ILogger<LoggingBehavior<TRequest, TResponse>> logger, ICurrentUser currentUser, ShopMetrics metrics)
    : IPipelineBehavior<TRequest, TResponse>
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> IdProperties = new();

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var name = typeof(TRequest).Name;
        var ids = DescribeIds(request);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next();
            var elapsed = Stopwatch.GetElapsedTime(started);
            metrics.Succeeded(response, elapsed);
            // Background passes (no user) run every few seconds on every node: their successes are Debug.
            logger.Log(currentUser.UserId is null ? LogLevel.Debug : LogLevel.Information, "{Request} {Ids} by {UserId} succeeded in {ElapsedMs:0.0} ms",
                name, ids, currentUser.UserId, elapsed.TotalMilliseconds);
            return response;
        }
        catch (Exception ex)
        {
            // The exception type, not its message: messages are for users and may quote input.
            logger.LogInformation("{Request} {Ids} by {UserId} failed with {Outcome} in {ElapsedMs:0.0} ms",
                name, ids, currentUser.UserId, ex.GetType().Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
    }

    private static string DescribeIds(TRequest request)
    {
        if (request is null) return "";
        var props = IdProperties.GetOrAdd(typeof(TRequest), static t => t
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => IsPublicNumber(p) || (IsIdName(p.Name) && IsIdType(p.PropertyType)))
            .ToArray());
        if (props.Length == 0) return "";
        return string.Join(' ', props.Select(p => $"{p.Name}={FormatValue(p.GetValue(request))}"));
    }

    private static bool IsIdName(string n) =>
        n.EndsWith("Id", StringComparison.Ordinal) || n.EndsWith("Ids", StringComparison.Ordinal) || n.EndsWith("No", StringComparison.Ordinal);

    private static bool IsIdType(Type t)
    {
        var u = Nullable.GetUnderlyingType(t) ?? t;
        return u == typeof(Guid) || u == typeof(long) || u == typeof(int)
            || typeof(IEnumerable<Guid>).IsAssignableFrom(u) || typeof(IEnumerable<long>).IsAssignableFrom(u);
    }

    private static bool IsPublicNumber(PropertyInfo p) =>
        p.PropertyType == typeof(string) && p.Name is "OrderNo" or "TicketNo" or "TopUpNo";

    private static string FormatValue(object? v) => v switch
    {
        null => "null",
        string s => s.Length > 64 ? s[..64] : s,
        IEnumerable<Guid> g => "[" + string.Join(',', g) + "]",
        IEnumerable<long> l => "[" + string.Join(',', l) + "]",
        _ => v.ToString() ?? "",
    };
}
