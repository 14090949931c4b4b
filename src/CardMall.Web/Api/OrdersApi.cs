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
    /// <param name="Payment"><c>wallet</c> (the default) or the code of an enabled payment gateway (<c>sandbox</c>, <c>alipay</c>, <c>epay</c>).</param>
    public sealed record PlaceOrderBody(
        [property: Required] string? Sku, [property: Required] int? Quantity, [property: Required] bool? AcceptNotices, int? NoticesVersion, string? Payment = null);

    /// <summary>
    /// An order with its keys: every read of it is recorded as a reveal. A replaced key shows <c>state: void</c>. An order paid
    /// through a gateway is <c>awaiting_payment</c> with the gateway's <c>payUrl</c> until <c>payBy</c>; its keys appear once it is paid.
    /// </summary>
    public sealed record Order(
        string OrderNo, OrderStatus Status, decimal Total, DateTimeOffset CreatedAt, string Sku, int Quantity, decimal UnitPrice, int NoticesVersion,
        IReadOnlyList<OrderItem> Items, string? PayUrl = null, DateTimeOffset? PayBy = null);

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

            var order = await mediator.Send(new PlaceOrder(body!.Sku ?? "", body.Quantity!.Value, body.AcceptNotices ?? false, key.Trim(), "api",
                RevealKeys: true, body.NoticesVersion, Payment: string.IsNullOrWhiteSpace(body.Payment) ? CardMall.Domain.Orders.Order.WalletPayment : body.Payment.Trim()), ct);
            // The answer carries card keys: no proxy or browser may keep it.
            response.Headers.CacheControl = "no-store";
            var json = ToJson(order);
            // A replay of the same idempotency key answers 200 with the order it made the first time.
            return order.Created ? TypedResults.Created($"/api/v1/orders/{order.OrderNo}", json) : TypedResults.Ok(json);
        })
        .WithName("PlaceOrder").WithTags(ApiDocument.Tag.Orders)
        .WithSummary("Buy keys, from the wallet or through a payment gateway")
        .WithDescription("201 with the new order and its keys (from the wallet), or `awaiting_payment` with `payUrl` and `payBy` (through a gateway); a retry with the same `Idempotency-Key` and body answers 200 with the same order, charged once.")
        .ReadsIdempotencyKey(required: true)
        .Problems(ErrorCodes.ValidationFailed, ErrorCodes.InsufficientBalance, ErrorCodes.OutOfStock, ErrorCodes.InvalidState, ErrorCodes.IdempotencyKeyReused);

        api.MapGet("/orders/{orderNo}", async Task<Ok<Order>> (string orderNo, HttpResponse http, IMediator mediator, CancellationToken ct) =>
        {
            var order = await mediator.Send(new RevealOrderKeys(orderNo, "api"), ct);
            http.Headers.CacheControl = "no-store";
            return TypedResults.Ok(ToJson(order));
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

    private static Order ToJson(OrderView o) => new(
        o.OrderNo, o.Status, o.Total, o.CreatedAt, o.Sku, o.Quantity, o.UnitPrice, o.NoticesVersion,
        [.. o.Items.Select(i => new OrderItem(i.ItemId, i.State, i.Code, i.Secret, i.ExpiresAt))], o.PayUrl, o.PayBy);
}
