using CardMall.Domain.Common;
using Microsoft.AspNetCore.Diagnostics;

namespace CardMall.Web.Errors;

/// <summary>
/// The API's last resort for a fault nobody expected: problem+json 500, with no stack trace outside
/// Development. (Pages get the friendly /Error page.) Expected failures never get here: the API's
/// endpoint filter handles them — except a body that cannot be bound, which fails before any filter.
/// <para>
/// What such a fault may leave in the log is decided here, not by the framework's exception handler (whose own
/// log line, with the exception's message, is suppressed): the exception's type, its inner exceptions' types
/// and the stack — never a message, since messages quote input and a card key may be in it.
/// </para>
/// </summary>
public static class UnhandledErrors
{
    /// <summary>For <see cref="ExceptionHandlerOptions.SuppressDiagnosticsCallback"/>: the handler logs nothing itself.</summary>
    public static bool SuppressFrameworkLog(ExceptionHandlerSuppressDiagnosticsContext _) => true;

    /// <summary>One error line for an unhandled exception: types, request, trace id and stack; no message.</summary>
    public static void Log(HttpContext context, Exception exception)
    {
        // A body that is not JSON is the client's mistake, answered with a 400: no error log for it.
        if (exception is BadHttpRequestException) return;
        var types = new List<string>();
        var stack = new System.Text.StringBuilder();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            types.Add(e.GetType().FullName ?? e.GetType().Name);
            if (stack.Length > 0) stack.Append("--- inner ").Append(e.GetType().Name).AppendLine(" ---");
            stack.AppendLine(e.StackTrace);
        }
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(UnhandledErrors))
            .LogError("Unhandled {ExceptionTypes} on {Method} {Path} trace {TraceId}{NewLine}{StackTrace}",
                string.Join(" <- ", types), context.Request.Method, context.Request.Path.Value,
                System.Diagnostics.Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier, Environment.NewLine, stack.ToString());
    }

    public static async Task HandleApiAsync(HttpContext context)
    {
        var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var expected = exception is null ? null : ApiProblems.FromExpected(exception);
        if (exception is not null && expected is null) Log(context, exception);
        var env = context.RequestServices.GetRequiredService<IWebHostEnvironment>();
        var problem = expected
            ?? ApiProblems.Create(StatusCodes.Status500InternalServerError, ErrorCodes.InternalError,
                env.IsDevelopment() && exception is not null
                    ? exception.ToString()
                    : "Something went wrong on our side. Please try again; if it keeps happening, contact support with the trace id.");
        await ApiProblems.WriteAsync(context, problem);
    }
}
