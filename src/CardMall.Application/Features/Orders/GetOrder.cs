using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Common;
using MediatR;

namespace CardMall.Application.Features.Orders;

/// <summary>The caller's own order with its keys masked (the order page reveals one key at a time).</summary>
public sealed record GetOrder(string OrderNo) : IRequest<OrderView>;

internal sealed class GetOrderHandler(OrderReading reading) : IRequestHandler<GetOrder, OrderView>
{
    public async Task<OrderView> Handle(GetOrder request, CancellationToken cancellationToken)
    {
        var order = await reading.FindOwnAsync(request.OrderNo, cancellationToken)
            ?? throw new NotFoundException(AppText.Get("Orders.NotFound"));
        return await reading.ViewAsync(order, reveal: false, "web", created: false, cancellationToken);
    }
}

/// <summary>
/// The caller's own order with every key decrypted (GET /api/v1/orders/{orderNo}): each read is on
/// record as a reveal, so it is a command.
/// </summary>
public sealed record RevealOrderKeys(string OrderNo, string Channel) : ICommand<OrderView>;

internal sealed class RevealOrderKeysHandler(OrderReading reading) : IRequestHandler<RevealOrderKeys, OrderView>
{
    public async Task<OrderView> Handle(RevealOrderKeys request, CancellationToken cancellationToken)
    {
        var order = await reading.FindOwnAsync(request.OrderNo, cancellationToken)
            ?? throw new NotFoundException(AppText.Get("Orders.NotFound"));
        return await reading.ViewAsync(order, reveal: true, request.Channel, created: false, cancellationToken);
    }
}
