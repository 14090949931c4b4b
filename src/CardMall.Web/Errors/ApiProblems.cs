using CardMall.Domain.Common;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace CardMall.Web.Errors;

/// <summary>
/// RFC 7807 problem+json for the JSON API: status, title, detail, a stable machine <c>code</c> and, for
/// validation failures, <c>errors</c> (field → messages). One mapping from exceptions to problems, used
/// by the API's endpoint filter and by the last-resort exception handler alike.
/// </summary>
public static class ApiProblems
{
    public static bool IsApi(PathString path) => path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    public static int StatusOf(string code) => code switch
    {
        ErrorCodes.ValidationFailed => StatusCodes.Status400BadRequest,
        ErrorCodes.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorCodes.InsufficientBalance => StatusCodes.Status402PaymentRequired,
        ErrorCodes.Forbidden => StatusCodes.Status403Forbidden,
        ErrorCodes.NotFound => StatusCodes.Status404NotFound,
        ErrorCodes.OutOfStock or ErrorCodes.InvalidState or ErrorCodes.Conflict => StatusCodes.Status409Conflict,
        ErrorCodes.IdempotencyKeyReused => StatusCodes.Status422UnprocessableEntity,
        ErrorCodes.RateLimited => StatusCodes.Status429TooManyRequests,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>The problem for an exception a use case threw on purpose, or null for a real fault.</summary>
    public static ProblemDetails? FromExpected(Exception exception) => exception switch
    {
        ValidationException v => Validation(v),
        Microsoft.EntityFrameworkCore.DbUpdateException { InnerException: Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation } } =>
            Create(StatusCodes.Status409Conflict, ErrorCodes.Conflict, CardMall.Application.Localization.AppText.Get("Common.Conflict")),
        CardMall.Application.Features.Tickets.OpenTicketExistsException open => WithTicketNo(Create(StatusOf(open.Code), open.Code, open.Message), open.TicketNo),
        DomainRuleException d => Create(StatusOf(d.Code), d.Code, d.Message),
        UnauthorizedAccessException => Create(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized, "Sign-in required."),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => Create(StatusCodes.Status413PayloadTooLarge, ErrorCodes.ValidationFailed,
            "The request body is too large."),
        BadHttpRequestException b => Create(StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed,
            "The request body could not be read: " + SafeBindingMessage(b)),
        _ => null,
    };

    /// <summary>A key that already has an open ticket: the contract names that ticket, so the client can add to it.</summary>
    private static ProblemDetails WithTicketNo(ProblemDetails problem, string ticketNo)
    {
        problem.Extensions["ticketNo"] = ticketNo;
        return problem;
    }

    public static ProblemDetails Validation(ValidationException v)
    {
        var errors = v.Errors
            .GroupBy(e => CamelCase(e.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray());
        var problem = Create(StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed,
            string.Join(" ", errors.Values.SelectMany(m => m).Take(3)));
        problem.Extensions["errors"] = errors;
        return problem;
    }

    public static ProblemDetails Create(int status, string code, string detail)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Title = TitleOf(status),
            Detail = detail,
            Type = $"https://httpstatuses.io/{status}",
        };
        problem.Extensions["code"] = code;
        // The contract promises an errors map with every validation failure; a body that could not be read at
        // all (not JSON, too large, wrong content type) has no field to name, so the message goes under "body".
        if (code == ErrorCodes.ValidationFailed) problem.Extensions["errors"] = new Dictionary<string, string[]> { ["body"] = [detail] };
        return problem;
    }

    public static Task WriteAsync(HttpContext context, int status, string code, string detail) =>
        WriteAsync(context, Create(status, code, detail));

    /// <summary>The problem for an expected exception, with the headers it implies (Retry-After on a 429).</summary>
    public static Task WriteAsync(HttpContext context, ProblemDetails problem, Exception exception)
    {
        if (exception is RateLimitedException limited) SetRetryAfter(context, limited.RetryAfter);
        return WriteAsync(context, problem);
    }

    /// <summary>Retry-After in whole seconds, at least one (a 429 that tells the client when to come back).</summary>
    public static void SetRetryAfter(HttpContext context, TimeSpan wait) =>
        context.Response.Headers.RetryAfter = ((int)Math.Ceiling(Math.Max(1, wait.TotalSeconds))).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static async Task WriteAsync(HttpContext context, ProblemDetails problem)
    {
        problem.Extensions["traceId"] = System.Diagnostics.Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
        context.Response.StatusCode = problem.Status ?? 500;
        await context.Response.WriteAsJsonAsync(problem, typeof(ProblemDetails), options: null, contentType: "application/problem+json");
    }

    /// <summary>Status-code pages for the API: an empty 404/405/… becomes a problem+json.</summary>
    public static Task WriteStatusAsync(StatusCodeContext ctx)
    {
        var status = ctx.HttpContext.Response.StatusCode;
        var (code, detail) = status switch
        {
            404 => (ErrorCodes.NotFound, "No such resource."),
            401 => (ErrorCodes.Unauthorized, "An API key is required."),
            403 => (ErrorCodes.Forbidden, "Not allowed."),
            405 => ("method_not_allowed", "This method is not allowed here."),
            413 => (ErrorCodes.ValidationFailed, "The request body is too large."),
            415 => (ErrorCodes.ValidationFailed, "Send the body as application/json."),
            _ => (status >= 500 ? ErrorCodes.InternalError : ErrorCodes.ValidationFailed, TitleOf(status)),
        };
        return WriteAsync(ctx.HttpContext, status, code, detail);
    }

    private static string TitleOf(int status) => status switch
    {
        400 => "Bad request",
        401 => "Unauthorized",
        402 => "Payment required",
        403 => "Forbidden",
        404 => "Not found",
        405 => "Method not allowed",
        409 => "Conflict",
        415 => "Unsupported media type",
        422 => "Unprocessable entity",
        429 => "Too many requests",
        _ => status >= 500 ? "Server error" : "Error",
    };

    private static string CamelCase(string name) =>
        string.IsNullOrEmpty(name) ? name : string.Join('.', name.Split('.').Select(p => p.Length == 0 ? p : char.ToLowerInvariant(p[0]) + p[1..]));

    // The framework's binding messages name the parameter and type, never the value sent.
    private static string SafeBindingMessage(BadHttpRequestException e) =>
        e.Message.Contains("JSON", StringComparison.OrdinalIgnoreCase) ? "it is not valid JSON for this endpoint." : e.Message;
}

/// <summary>Turns the exceptions use cases throw on purpose into problem+json for every API endpoint.</summary>
public sealed class ApiExceptionFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception e) when (ApiProblems.FromExpected(e) is { } problem)
        {
            await ApiProblems.WriteAsync(context.HttpContext, problem, e);
            return Results.Empty;
        }
    }
}
