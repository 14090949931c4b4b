using System.Diagnostics;
using System.Security.Claims;
using Microsoft.AspNetCore.Routing;

namespace CardMall.Web.Hosting;

/// <summary>
/// One line per request: method, path, route template, status, elapsed, user id and trace id.
/// Never the query string or the body: they can carry card keys, passwords and tokens.
/// </summary>
public sealed class RequestLogging(RequestDelegate next, ILogger<RequestLogging> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var failed = false;
        try
        {
            await next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            var endpoint = context.GetEndpoint();
            var template = (endpoint as RouteEndpoint)?.RoutePattern.RawText
                ?? endpoint?.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.CompiledPageActionDescriptor>()?.RelativePath
                ?? "-";
            var status = failed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            logger.Log(LevelOf(context, status),
                "HTTP {Method} {Path} ({Template}) responded {StatusCode} in {ElapsedMs:0.0} ms for {UserId} trace {TraceId}",
                context.Request.Method, context.Request.Path.Value, template, status,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "anonymous",
                Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier);
        }
    }

    /// <summary>
    /// Errors at Error; a visitor's successful page view (anonymous, GET, below 400) at Debug: at a promotion's
    /// tens of thousands a second from the output cache, writing each would cost more than serving it, and the
    /// load balancer's access log already has them. Everything signed in, every write and every failure stays
    /// at Information.
    /// </summary>
    private static LogLevel LevelOf(HttpContext context, int status) =>
        status >= 500 ? LogLevel.Error
        : status < 400 && context.User.Identity?.IsAuthenticated != true
          && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)) ? LogLevel.Debug
        : LogLevel.Information;
}
