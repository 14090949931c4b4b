namespace CardMall.Domain.Common;

/// <summary>
/// A business rule said no (out of stock, wrong state, …). <see cref="Code"/> is the stable machine
/// code of the API contract; the message is safe to show a user and never carries a card key.
/// </summary>
public class DomainRuleException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>Asked again too soon (urging a ticket twice within the hour …): a 429 that says when to try again.</summary>
public sealed class RateLimitedException(string message, TimeSpan retryAfter) : DomainRuleException(ErrorCodes.RateLimited, message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>The thing asked for does not exist for this caller (or belongs to someone else).</summary>
public sealed class NotFoundException(string message) : DomainRuleException(ErrorCodes.NotFound, message);

public static class ErrorCodes
{
    public const string ValidationFailed = "validation_failed";
    public const string NotFound = "not_found";
    public const string OutOfStock = "out_of_stock";
    public const string InsufficientBalance = "insufficient_balance";
    public const string IdempotencyKeyReused = "idempotency_key_reused";
    public const string RateLimited = "rate_limited";
    public const string InvalidState = "invalid_state";
    public const string Forbidden = "forbidden";
    public const string Unauthorized = "unauthorized";
    public const string Conflict = "conflict";
    public const string InternalError = "internal_error";
}

/// <summary>
/// A rule an aggregate refused, named by the key of its message and the message's arguments: the Domain knows no
/// language, so the application words it for the caller (enum arguments as their worded value) before it leaves.
/// </summary>
public sealed class RuleBrokenException(string code, string messageKey, params object[] args) : DomainRuleException(code, messageKey)
{
    public string MessageKey { get; } = messageKey;

    public IReadOnlyList<object> Args { get; } = args;
}
