using CardMall.Application.Features.Orders;
using CardMall.Domain.Common;
using FluentValidation;
using FluentValidation.Results;
using MediatR;

namespace CardMall.Web.Api;

public static class OrdersApi
{
    public sealed record PlaceOrderBody(string? Sku, int? Quantity, bool? AcceptNotices, int? NoticesVersion);

    public static void MapOrdersApi(this RouteGroupBuilder api)
    {
        api.MapPost("/orders", async (PlaceOrderBody? body, HttpRequest http, HttpResponse response, IMediator mediator, CancellationToken ct) =>
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
                RevealKeys: true, body.NoticesVersion), ct);
            // The answer carries card keys: no proxy or browser may keep it.
            response.Headers.CacheControl = "no-store";
            var json = ToJson(order);
            // A replay of the same idempotency key answers 200 with the order it made the first time.
            return order.Created ? Results.Created($"/api/v1/orders/{order.OrderNo}", json) : Results.Ok(json);
        });

        api.MapGet("/orders/{orderNo}", async (string orderNo, HttpResponse http, IMediator mediator, CancellationToken ct) =>
        {
            var order = await mediator.Send(new RevealOrderKeys(orderNo, "api"), ct);
            http.Headers.CacheControl = "no-store";
            return Results.Ok(ToJson(order));
        });

        api.MapGet("/orders", async (int? page, IMediator mediator, CancellationToken ct) =>
        {
            var orders = await mediator.Send(new ListOrders(page ?? 1), ct);
            return Results.Ok(new
            {
                Items = orders.Items.Select(o => new { o.OrderNo, o.Status, o.Total, o.CreatedAt, o.Sku, o.Quantity }),
                orders.Page,
                orders.Total,
            });
        });
    }

    private static object ToJson(OrderView o) => new
    {
        o.OrderNo,
        o.Status,
        o.Total,
        o.CreatedAt,
        o.Sku,
        o.Quantity,
        o.UnitPrice,
        o.NoticesVersion,
        Items = o.Items.Select(i => new { i.ItemId, i.State, i.Code, i.Secret, i.ExpiresAt }),
    };
}
