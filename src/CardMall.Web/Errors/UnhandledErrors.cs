using CardMall.Domain.Common;
using Microsoft.AspNetCore.Diagnostics;

namespace CardMall.Web.Errors;

/// <summary>
/// The API's last resort for a fault nobody expected: problem+json 500, with no stack trace outside
/// Development. (Pages get the friendly /Error page.) Expected failures never get here: the API's
/// endpoint filter handles them — except a body that cannot be bound, which fails before any filter.
/// </summary>
public static class UnhandledErrors
{
    public static async Task HandleApiAsync(HttpContext context)
    {
        var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var env = context.RequestServices.GetRequiredService<IWebHostEnvironment>();
        var problem = (exception is null ? null : ApiProblems.FromExpected(exception))
            ?? ApiProblems.Create(StatusCodes.Status500InternalServerError, ErrorCodes.InternalError,
                env.IsDevelopment() && exception is not null
                    ? exception.ToString()
                    : "Something went wrong on our side. Please try again; if it keeps happening, contact support with the trace id.");
        await ApiProblems.WriteAsync(context, problem);
    }
}
