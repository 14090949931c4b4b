using CardMall.Domain.Common;
using CardMall.Web.Errors;
using Microsoft.AspNetCore.Http.Metadata;

namespace CardMall.Web.Api;

/// <summary>
/// The problem+json body every API failure has (<see cref="ApiProblems"/> writes it). Declared as a type only so that
/// the OpenAPI document describes the shape a reseller's generated client reads; nothing serialises it.
/// </summary>
public sealed class Problem
{
    public required string Type { get; init; }

    public required string Title { get; init; }

    public required int Status { get; init; }

    public required string Detail { get; init; }

    /// <summary>The stable machine code: <c>validation_failed</c>, <c>not_found</c>, <c>out_of_stock</c>, …</summary>
    public required string Code { get; init; }

    /// <summary>Validation failures only: field → messages.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    public required string TraceId { get; init; }

    /// <summary>409 <c>invalid_state</c> on filing a ticket only: the key's open ticket, to add to instead.</summary>
    public string? TicketNo { get; init; }
}

/// <summary>The contract's error codes an endpoint (or a group of them) may answer with, for the OpenAPI document.</summary>
public sealed record ApiProblemCodes(IReadOnlyList<string> Codes);

/// <summary>The request header an endpoint reads as its idempotency key (documented; the endpoint still checks it).</summary>
public sealed record IdempotencyKeyHeader(bool Required);

public static class ApiProblemsMetadata
{
    public const string ProblemJson = "application/problem+json";

    /// <summary>
    /// Declares that the endpoints answer these contract codes as problem+json: one response per status
    /// (<see cref="ApiProblems.StatusOf"/>) with the <see cref="Problem"/> schema; the document names the codes.
    /// </summary>
    public static TBuilder Problems<TBuilder>(this TBuilder builder, params string[] codes) where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new ApiProblemCodes(codes));
        foreach (var status in codes.Select(StatusOf).Distinct())
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(Problem), [ProblemJson]));
        return builder;
    }

    /// <summary>The endpoint reads an <c>Idempotency-Key</c> header: a retry with the same key is applied once.</summary>
    public static RouteHandlerBuilder ReadsIdempotencyKey(this RouteHandlerBuilder builder, bool required) =>
        builder.WithMetadata(new IdempotencyKeyHeader(required));

    /// <summary>A body too large for the endpoint is refused as <c>validation_failed</c> with 413, not 400.</summary>
    public static int StatusOf(string code) => code == PayloadTooLarge ? StatusCodes.Status413PayloadTooLarge : ApiProblems.StatusOf(code);

    /// <summary>Not a code of its own (the body says <c>validation_failed</c>): the marker for a 413 response.</summary>
    public const string PayloadTooLarge = "payload_too_large";

    /// <summary>What each code means, in the words a reseller's developer reads in the API reference.</summary>
    public static string Meaning(string code) => code switch
    {
        ErrorCodes.ValidationFailed => "the request is not valid; `errors` names each field and what is wrong with it",
        ErrorCodes.Unauthorized => "no API key, a wrong or revoked key, or a disabled account",
        ErrorCodes.InsufficientBalance => "the wallet balance does not cover the order; nothing was allocated",
        ErrorCodes.Forbidden => "the key's account may not do this",
        ErrorCodes.NotFound => "no such resource for this caller (somebody else's is not found either)",
        ErrorCodes.OutOfStock => "not enough keys in stock; nothing was charged or allocated",
        ErrorCodes.InvalidState => "the resource is not in a state that allows this",
        ErrorCodes.Conflict => "somebody else changed or created the same thing at the same moment; read it again",
        ErrorCodes.IdempotencyKeyReused => "this Idempotency-Key was used before with a different body",
        ErrorCodes.RateLimited => "too many requests; wait the seconds `Retry-After` names, then retry",
        PayloadTooLarge => "the request body is too large (code `validation_failed`)",
        _ => code,
    };
}
