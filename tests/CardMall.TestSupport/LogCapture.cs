using System.Collections.Concurrent;
using System.Globalization;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace CardMall.TestSupport;

/// <summary>
/// Every log event the app writes, as text with its properties, for tests to read: a Serilog sink the app picks
/// up from the container (ReadFrom.Services), so it sees exactly what the app's configured levels let through.
/// Lines read "{Level} {SourceContext}: {message} | {properties} {exception}", with Microsoft's level names.
/// </summary>
public sealed class LogCapture : ILogEventSink
{
    // ":l" writes string values as they are, without the quotes Serilog puts around them when rendering.
    private static readonly MessageTemplateTextFormatter Message = new("{Message:l}", CultureInfo.InvariantCulture);

    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public string All => string.Join('\n', _lines);

    /// <summary>
    /// Settings that let everything from <paramref name="level"/> up through, from every source including the
    /// framework's (the app's configuration holds Microsoft and System back to warnings), so that tests see what
    /// the framework writes too. The console, which no test reads, keeps to warnings.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string?>> Everything(LogEventLevel level)
    {
        var name = level.ToString();
        yield return new("Serilog:MinimumLevel:Default", name);
        foreach (var source in new[] { "Microsoft", "Microsoft.Hosting.Lifetime", "Microsoft.EntityFrameworkCore", "System" })
            yield return new($"Serilog:MinimumLevel:Override:{source}", name);
        yield return new("Serilog:WriteTo:Console:Args:restrictedToMinimumLevel", nameof(LogEventLevel.Warning));
    }

    public void Emit(LogEvent logEvent)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        Message.Format(logEvent, text);
        var source = logEvent.Properties.TryGetValue("SourceContext", out var s) && s is ScalarValue { Value: string name } ? name : "-";
        var properties = string.Join(' ', logEvent.Properties.Select(p => $"{p.Key}={Plain(p.Value)}"));
        _lines.Enqueue($"{LevelName(logEvent.Level)} {source}: {text} | {properties} {logEvent.Exception}");
    }

    private static string Plain(LogEventPropertyValue value) =>
        value is ScalarValue { Value: string text } ? text : value.ToString();

    private static string LevelName(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose => "Trace",
        LogEventLevel.Fatal => "Critical",
        _ => level.ToString(),
    };
}
