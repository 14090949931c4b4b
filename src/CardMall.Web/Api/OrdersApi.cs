using CardMall.Application.Features.Orders;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Common;
using CardMall.Domain.Orders;
using FluentValidation;
using FluentValidation.Results;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Required = System.ComponentModel.DataAnnotations.RequiredAttribute;

namespace CardMall.Web.Api;

public static class OrdersApi
{
    /// <param name="NoticesVersion">The notices version the buyer saw; when the product's notices changed since, 409 <c>invalid_state</c>.</param>
    /// <param name="Payment"><c>wallet</c> (default) or the code of an enabled payment gateway (<c>sandbox</c>, <c>alipay</c>, <c>epay</c>).</param>
    public sealed record PlaceOrderBody(
        [property: Required] string? Sku, [property: Required] int? Quantity, [property: Required] bool? AcceptNotices, int? NoticesVersion, string? Payment);

    /// <summary>
    /// An order with its keys: every read of it is recorded as a reveal. A replaced key shows <c>state: void</c>. An order paid by a
    /// gateway is <c>awaiting_payment</c> until paid at <c>payUrl</c> before <c>payBy</c> (its keys are reserved and appear once paid), or
    /// <c>expired</c> (nothing charged, keys back in stock).
    /// </summary>
    public sealed record Order(
        string OrderNo, OrderStatus Status, decimal Total, DateTimeOffset CreatedAt, string Sku, int Quantity, decimal UnitPrice, int NoticesVersion,
        IReadOnlyList<OrderItem> Items, string Payment, string? PayUrl, DateTimeOffset? PayBy);

    /// <summary>One card key of an order: <c>code</c> and <c>secret</c> are what the buyer redeems.</summary>
    public sealed record OrderItem(Guid ItemId, CardKeyState State, string? Code, string? Secret, DateTimeOffset? ExpiresAt)
    {
        // A record prints its members; a card key must never reach a log that way.
        public override string ToString() => $"OrderItem({ItemId}, {State}, ****)";
    }

    public sealed record OrderLine(string OrderNo, OrderStatus Status, decimal Total, DateTimeOffset CreatedAt, string Sku, int Quantity);

    public sealed record OrderPage(IReadOnlyList<OrderLine> Items, int Page, int Total);

    public static void MapOrdersApi(this RouteGroupBuilder api)
    {
        api.MapPost("/orders", async Task<Results<Created<Order>, Ok<Order>>> (PlaceOrderBody? body, HttpRequest http, HttpResponse response, IMediator mediator, CancellationToken ct) =>
        {
            var key = http.Headers["Idempotency-Key"].ToString();
            var failures = new List<ValidationFailure>();
            if (string.IsNullOrWhiteSpace(key) || key.Length > 64)
                failures.Add(new ValidationFailure("IdempotencyKey", "The Idempotency-Key header is required (1–64 characters)."));
            if (body is null)
                failures.Add(new ValidationFailure("Body", "Send {sku, quantity, acceptNotices} as JSON."));
            else if (body.Quantity is null)
                failures.Add(new ValidationFailure("Quantity", "quantity is required."));
            if (failures.Count > 0) throw new ValidationException(failures);

            var payment = string.IsNullOrWhiteSpace(body!.Payment) ? Domain.Orders.Order.WalletPayment : body.Payment.Trim();
            var order = await mediator.Send(new PlaceOrder(body.Sku ?? "", body.Quantity!.Value, body.AcceptNotices ?? false, key.Trim(), "api",
                RevealKeys: true, body.NoticesVersion, payment), ct);
            // The answer carries card keys: no proxy or browser may keep it.
            response.Headers.CacheControl = "no-store";
            var json = ToJson(order, http);
            // A replay of the same idempotency key answers 200 with the order it made the first time.
            return order.Created ? TypedResults.Created($"/api/v1/orders/{order.OrderNo}", json) : TypedResults.Ok(json);
        })
        .WithName("PlaceOrder").WithTags(ApiDocument.Tag.Orders)
        .WithSummary("Buy keys, from the wallet or through a payment gateway")
        .WithDescription("From the wallet: 201 with the new order and its keys. With `payment` set to a gateway: 201 `awaiting_payment` with `payUrl` "
            + "and `payBy`; the keys are reserved until then and appear in the order once the payment settles. A retry with the same "
            + "`Idempotency-Key` and body answers 200 with the same order, charged once.")
        .ReadsIdempotencyKey(required: true)
        .Problems(ErrorCodes.ValidationFailed, ErrorCodes.InsufficientBalance, ErrorCodes.OutOfStock, ErrorCodes.InvalidState, ErrorCodes.IdempotencyKeyReused);

        api.MapGet("/orders/{orderNo}", async Task<Ok<Order>> (string orderNo, HttpResponse http, IMediator mediator, CancellationToken ct) =>
        {
            var order = await mediator.Send(new RevealOrderKeys(orderNo, "api"), ct);
            http.Headers.CacheControl = "no-store";
            return TypedResults.Ok(ToJson(order, http.HttpContext.Request));
        })
        .WithName("GetOrder").WithSummary("One of the caller's orders, keys included").WithTags(ApiDocument.Tag.Orders)
        .Problems(ErrorCodes.NotFound);

        api.MapGet("/orders", async Task<Ok<OrderPage>> (int? page, IMediator mediator, CancellationToken ct) =>
        {
            var orders = await mediator.Send(new ListOrders(page ?? 1), ct);
            return TypedResults.Ok(new OrderPage(
                [.. orders.Items.Select(o => new OrderLine(o.OrderNo, o.Status, o.Total, o.CreatedAt, o.Sku, o.Quantity))], orders.Page, orders.Total));
        })
        .WithName("ListOrders").WithSummary("The caller's orders, newest first, a page at a time").WithTags(ApiDocument.Tag.Orders)
        .Problems(ErrorCodes.ValidationFailed);
    }

    private static Order ToJson(OrderView o, HttpRequest request) => new(
        o.OrderNo, o.Status, o.Total, o.CreatedAt, o.Sku, o.Quantity, o.UnitPrice, o.NoticesVersion,
        [.. o.Items.Select(i => new OrderItem(i.ItemId, i.State, i.Code, i.Secret, i.ExpiresAt))], o.PaymentMethod, Absolute(o.PayUrl, request), o.PayBy);

    /// <summary>The sandbox's pay page is a path of this shop; an API client needs the whole address.</summary>
    private static string? Absolute(string? payUrl, HttpRequest request) =>
        payUrl is ['/', ..] ? $"{request.Scheme}://{request.Host}{request.PathBase}{payUrl}" : payUrl;
}
