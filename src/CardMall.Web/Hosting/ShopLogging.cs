using System.Diagnostics;
using System.Security.Claims;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Serilog;
using Serilog.AspNetCore;
using Serilog.Events;

namespace CardMall.Web.Hosting;

/// <summary>
/// Serilog through Serilog.AspNetCore (docs/decisions/0003): the logger is read from the "Serilog" configuration
/// section (console, optional file) plus any sink registered in the container, and is the only logging provider.
/// Each host gets its own logger rather than the static <see cref="Log.Logger"/>, which stays the bootstrap
/// logger that reports a failed start: several hosts in one process (the tests) then never share sinks.
/// </summary>
public static class ShopLogging
{
    /// <summary>The console logger that reports what happens before the host's own logger exists.</summary>
    public static void StartBootstrapLogger() =>
        Log.Logger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .CreateBootstrapLogger();

    public static WebApplicationBuilder AddShopLogging(this WebApplicationBuilder builder)
    {
        builder.Services.AddSerilog((services, logger) => logger
                .ReadFrom.Configuration(services.GetRequiredService<IConfiguration>())
                .ReadFrom.Services(services)
                .Enrich.FromLogContext(),
            preserveStaticLogger: true);
        return builder;
    }

    /// <summary>
    /// One line per request: method, path, route template, status, elapsed, user id and trace id. Never the query
    /// string or the body: they can carry card keys, passwords and tokens.
    /// </summary>
    public static WebApplication UseShopRequestLogging(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<Serilog.ILogger>();
        app.UseSerilogRequestLogging(o =>
        {
            o.Logger = logger;
            o.IncludeQueryInRequestPath = false;
            o.MessageTemplate =
                "HTTP {RequestMethod} {RequestPath} ({RouteTemplate}) responded {StatusCode} in {Elapsed:0.0} ms for {UserId} trace {TraceId}";
            o.GetLevel = LevelOf;
            o.EnrichDiagnosticContext = Enrich;
        });
        return app;
    }

    // Called only when the line is written, so a visitor's Debug-level page view costs no lookups.
    private static void Enrich(IDiagnosticContext diagnostics, HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        diagnostics.Set("RouteTemplate", (endpoint as RouteEndpoint)?.RoutePattern.RawText
            ?? endpoint?.Metadata.GetMetadata<CompiledPageActionDescriptor>()?.RelativePath
            ?? "-");
        diagnostics.Set("UserId", context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "anonymous");
        diagnostics.Set("TraceId", Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier);
    }

    /// <summary>
    /// Errors at Error; a visitor's successful page view (anonymous, GET, below 400) at Debug: at a promotion's
    /// tens of thousands a second from the output cache, writing each would cost more than serving it, and the
    /// load balancer's access log already has them. Everything signed in, every write and every failure stays
    /// at Information.
    /// </summary>
    private static LogEventLevel LevelOf(HttpContext context, double elapsedMs, Exception? exception)
    {
        var status = exception is null ? context.Response.StatusCode : StatusCodes.Status500InternalServerError;
        return status >= 500 ? LogEventLevel.Error
            : status < 400 && context.User.Identity?.IsAuthenticated != true
              && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)) ? LogEventLevel.Debug
            : LogEventLevel.Information;
    }
}
