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
            logger.Log(status >= 500 ? LogLevel.Error : LogLevel.Information,
                "HTTP {Method} {Path} ({Template}) responded {StatusCode} in {ElapsedMs:0.0} ms for {UserId} trace {TraceId}",
                context.Request.Method, context.Request.Path.Value, template, status,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "anonymous",
                Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier);
        }
    }
}
