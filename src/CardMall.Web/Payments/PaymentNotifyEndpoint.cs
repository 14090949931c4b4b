using CardMall.Application.Abstractions;
using CardMall.Application.Features.Orders;
using CardMall.Application.Features.Wallet;
using CardMall.Domain.Orders;
using CardMall.Domain.Common;
using FluentValidation;
using MediatR;

namespace CardMall.Web.Payments;

/// <summary>
/// <c>POST (or GET) /payments/{gateway}/notify</c>: where a gateway tells the shop, server to server, that a
/// payment was made (Alipay posts a form, epay calls with a query string, the sandbox posts JSON). Outside
/// /api/v1 (the gateway has no API key; the signature is its credential) and without antiforgery (no browser
/// form). The gateway checks the signature before anything in the notice is believed; the reference says
/// whether a top-up or an order was paid. Answers are in the gateway's own form (JSON {ok, reason} for the
/// sandbox, <c>success</c>/<c>fail</c> for Alipay and epay), so the gateway knows whether to send again.
/// </summary>
public static class PaymentNotifyEndpoint
{
    /// <summary>A notification is a few hundred bytes; anything much larger is not one.</summary>
    private const int MaxBodyBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapPaymentNotifications(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/payments/{gateway}/notify", [HttpMethods.Post, HttpMethods.Get], ReceiveAsync)
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
        if (payments is null) return Results.Json(new NotifyAnswer(false, "unknown_gateway"), statusCode: StatusCodes.Status404NotFound);

        var body = await ReadBodyAsync(request, ct);
        if (body is null) return Refuse(payments, StatusCodes.Status413PayloadTooLarge, "too_large");

        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        var check = payments.CheckNotification(new PaymentNotice(request.Method, headers, body, query));
        switch (check.Verdict)
        {
            case NotificationVerdict.BadSignature:
                // Neither the signature nor the body is logged: only that someone tried.
                logger.LogWarning("Refused a {Gateway} notification with a bad signature from {RemoteIp}", payments.Name, request.HttpContext.Connection.RemoteIpAddress);
                return Refuse(payments, StatusCodes.Status401Unauthorized, "bad_signature");
            case NotificationVerdict.Malformed:
                return Refuse(payments, StatusCodes.Status400BadRequest, "malformed");
        }

        var payment = check.Payment!;
        try
        {
            var reason = OrderNumbers.IsOrderNo(payment.Reference)
                ? await SettleOrderAsync(mediator, payments.Name, payment, ct)
                : await SettleTopUpAsync(mediator, payments.Name, payment, ct);
            return Accept(payments, reason);
        }
        catch (NotFoundException)
        {
            return Refuse(payments, StatusCodes.Status404NotFound, OrderNumbers.IsOrderNo(payment.Reference) ? "unknown_order" : "unknown_top_up");
        }
        catch (ValidationException invalid)
        {
            return Refuse(payments, StatusCodes.Status400BadRequest, invalid.Errors.Any(e => e.PropertyName == "Amount") ? "amount_mismatch" : "invalid");
        }
        catch (DomainRuleException rule) when (rule.Code == ErrorCodes.InvalidState)
        {
            return Refuse(payments, StatusCodes.Status409Conflict, "top_up_expired");
        }
    }

    private static async Task<string> SettleTopUpAsync(IMediator mediator, string gateway, GatewayPayment payment, CancellationToken ct) =>
        await mediator.Send(new SettleTopUp(gateway, payment), ct) switch
        {
            TopUpSettlement.Credited => "credited",
            TopUpSettlement.AlreadyCredited => "already_credited",
            _ => "not_paid",
        };

    private static async Task<string> SettleOrderAsync(IMediator mediator, string gateway, GatewayPayment payment, CancellationToken ct) =>
        await mediator.Send(new SettleOrderPayment(gateway, payment), ct) switch
        {
            OrderSettlement.Delivered => "delivered",
            OrderSettlement.AlreadyDelivered => "already_delivered",
            OrderSettlement.PayingBack => "paying_back",
            _ => "not_paid",
        };

    private static IResult Accept(IPaymentGateway gateway, string reason) => gateway.Reply == NotificationReply.SuccessText
        ? Results.Text("success", "text/plain")
        : Results.Json(new NotifyAnswer(true, reason));

    /// <summary>Anything but "success" makes Alipay and epay send the notification again, which is what a refusal should do.</summary>
    private static IResult Refuse(IPaymentGateway gateway, int status, string reason) => gateway.Reply == NotificationReply.SuccessText
        ? Results.Text("fail", "text/plain", statusCode: status)
        : Results.Json(new NotifyAnswer(false, reason), statusCode: status);

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
