using CardMall.Application.Abstractions;
using CardMall.Application.Features.Wallet;
using CardMall.Domain.Common;
using FluentValidation;
using MediatR;

namespace CardMall.Web.Payments;

/// <summary>
/// <c>POST /payments/{gateway}/notify</c>: where a gateway tells the shop, server to server, that a
/// payment was made. Outside /api/v1 (the gateway has no API key; the signature is its credential) and
/// without antiforgery (no browser form). The raw body is checked against the signature before
/// anything in it is believed; answers are plain JSON {ok, reason}, so the gateway knows whether to
/// send again.
/// </summary>
public static class PaymentNotifyEndpoint
{
    /// <summary>A notification is a few hundred bytes; anything much larger is not one.</summary>
    private const int MaxBodyBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapPaymentNotifications(this IEndpointRouteBuilder app)
    {
        app.MapPost("/payments/{gateway}/notify", ReceiveAsync)
            .AllowAnonymous()
            .DisableAntiforgery()
            .ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ReceiveAsync(
        string gateway, HttpRequest request, IEnumerable<IPaymentGateway> gateways, IMediator mediator, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(PaymentNotifyEndpoint));
        var payments = gateways.Find(gateway);
        if (payments is null) return Refuse(StatusCodes.Status404NotFound, "unknown_gateway");

        var body = await ReadBodyAsync(request, ct);
        if (body is null) return Refuse(StatusCodes.Status413PayloadTooLarge, "too_large");

        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var check = payments.CheckNotification(headers, body);
        switch (check.Verdict)
        {
            case NotificationVerdict.BadSignature:
                // Neither the signature nor the body is logged: only that someone tried.
                logger.LogWarning("Refused a {Gateway} notification with a bad signature from {RemoteIp}", payments.Name, request.HttpContext.Connection.RemoteIpAddress);
                return Refuse(StatusCodes.Status401Unauthorized, "bad_signature");
            case NotificationVerdict.Malformed:
                return Refuse(StatusCodes.Status400BadRequest, "malformed");
        }

        try
        {
            var settled = await mediator.Send(new SettleTopUp(payments.Name, check.Payment!), ct);
            return Results.Json(new NotifyAnswer(true, settled switch
            {
                TopUpSettlement.Credited => "credited",
                TopUpSettlement.AlreadyCredited => "already_credited",
                _ => "not_paid",
            }));
        }
        catch (NotFoundException)
        {
            return Refuse(StatusCodes.Status404NotFound, "unknown_top_up");
        }
        catch (ValidationException invalid)
        {
            return Refuse(StatusCodes.Status400BadRequest, invalid.Errors.Any(e => e.PropertyName == "Amount") ? "amount_mismatch" : "invalid");
        }
        catch (DomainRuleException rule) when (rule.Code == ErrorCodes.InvalidState)
        {
            return Refuse(StatusCodes.Status409Conflict, "top_up_expired");
        }
    }

    private static IResult Refuse(int status, string reason) => Results.Json(new NotifyAnswer(false, reason), statusCode: status);

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

    private sealed record NotifyAnswer(bool Ok, string Reason);
}
