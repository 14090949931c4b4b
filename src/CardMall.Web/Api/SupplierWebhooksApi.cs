using System.Security.Cryptography;
using System.Text.Json;
using CardMall.Application.Abstractions;
using CardMall.Application.Features.Risk;
using CardMall.Domain.Common;
using CardMall.Web.Errors;
using CardMall.Web.Hosting;
using FluentValidation;
using FluentValidation.Results;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Required = System.ComponentModel.DataAnnotations.RequiredAttribute;

namespace CardMall.Web.Api;

/// <summary>
/// <c>POST /api/v1/webhooks/suppliers/{supplierCode}/activations</c> (api.md, Suppliers): a supplier tells us
/// somebody tried to activate one of its keys. No API key — the signature is the credential:
/// <c>X-CardMall-Signature: sha256=&lt;hex HMAC-SHA256 of the raw body&gt;</c> under the supplier's webhook
/// secret, compared in constant time before a byte of the body is believed. An unknown supplier and a bad
/// signature get the same 401. Every accepted event is a 202 with no body — a new event, a replay and a code
/// that is not one of this supplier's keys alike: the supplier has nothing to retry and learns nothing about
/// which codes we hold. The code is never echoed or logged.
/// </summary>
public static class SupplierWebhooksApi
{
    public const string SignatureHeader = "X-CardMall-Signature";

    /// <summary>An activation event is a few hundred bytes; anything much larger is not one.</summary>
    private const int MaxBodyBytes = 16 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public sealed record ActivationBody([property: Required] string? Code, [property: Required] string? DeviceId, string? Ip, [property: Required] DateTimeOffset? At, [property: Required] string? Result)
    {
        public override string ToString() => "ActivationBody(****)";
    }

    public static void MapSupplierWebhooksApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/webhooks/suppliers/{supplierCode}/activations", ReceiveAsync)
            .AddEndpointFilter<ApiExceptionFilter>()
            .WithMetadata(new RateLimitedPostAttribute(ShopLimit.SupplierWebhook))
            .AllowAnonymous()
            .DisableAntiforgery()
            .Accepts<ActivationBody>("application/json")
            .WithName("ReportActivation").WithSummary("A supplier reports an activation attempt of one of its keys").WithTags(ApiDocument.Tag.SupplierWebhooks)
            .WithDescription("202 for every accepted event: a new one, a replay, and a code that is not one of this supplier's keys alike.")
            .Problems(ErrorCodes.ValidationFailed, ErrorCodes.Unauthorized, ApiProblemsMetadata.PayloadTooLarge, ErrorCodes.RateLimited);
    }

    private static async Task<Results<Accepted, EmptyHttpResult>> ReceiveAsync(string supplierCode, HttpRequest request, ICardMallDb db, ICardKeyVault vault, IMediator mediator,
        ILoggerFactory loggers, CancellationToken ct)
    {
        var body = await ReadBodyAsync(request, ct);
        if (body is null)
            return await ProblemAsync(request.HttpContext, StatusCodes.Status413PayloadTooLarge, ErrorCodes.ValidationFailed, "The request body is too large.");

        var supplier = supplierCode.Length > 64 ? null
            : await db.Suppliers.AsNoTracking().Where(s => s.Code == supplierCode).Select(s => new { s.Id, s.WebhookSecretCipher }).FirstOrDefaultAsync(ct);
        if (supplier is null || !SignatureMatches(request.Headers[SignatureHeader].ToString(), body, vault.OpenSecret(supplier.WebhookSecretCipher)))
        {
            // Neither the signature nor the body is logged: only that someone tried.
            loggers.CreateLogger(typeof(SupplierWebhooksApi)).LogWarning("Refused a supplier activation webhook with a bad signature from {RemoteIp}",
                request.HttpContext.Connection.RemoteIpAddress);
            return await ProblemAsync(request.HttpContext, StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized,
                $"Sign the raw body with the supplier's webhook secret: {SignatureHeader}: sha256=<hex HMAC-SHA256>.");
        }

        ActivationBody? activation;
        try
        {
            activation = JsonSerializer.Deserialize<ActivationBody>(body, Json);
        }
        catch (JsonException e) when (string.Equals(e.Path, "$.at", StringComparison.OrdinalIgnoreCase))
        {
            throw new ValidationException([new ValidationFailure("At", "at must be an ISO-8601 time, e.g. 2026-01-31T08:00:00Z.")]);
        }
        catch (JsonException)
        {
            activation = null;
        }
        if (activation is null)
            throw new ValidationException([new ValidationFailure("Body", "Send {code, deviceId, ip, at, result} as a JSON object.")]);
        if (activation.At is null)
            throw new ValidationException([new ValidationFailure("At", "at (an ISO-8601 time) is required.")]);

        await mediator.Send(new RecordActivation(supplier.Id, activation.Code ?? "", activation.DeviceId ?? "", activation.Ip,
            activation.At.Value, activation.Result ?? ""), ct);
        return TypedResults.Accepted((string?)null);
    }

    /// <summary>Constant-time comparison of the HMAC the supplier sent with the one the body deserves.</summary>
    internal static bool SignatureMatches(string header, byte[] body, string secret)
    {
        const string prefix = "sha256=";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return false;
        byte[] sent;
        try
        {
            sent = Convert.FromHexString(header.AsSpan(prefix.Length).Trim());
        }
        catch (FormatException)
        {
            return false;
        }
        var expected = HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), body);
        return CryptographicOperations.FixedTimeEquals(sent, expected);
    }

    private static async Task<EmptyHttpResult> ProblemAsync(HttpContext context, int status, string code, string detail)
    {
        await ApiProblems.WriteAsync(context, status, code, detail);
        return TypedResults.Empty;
    }

    /// <summary>The body exactly as sent (the signature covers these bytes); null when it is too large.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
