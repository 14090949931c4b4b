using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Common;
using MediatR;

namespace CardMall.Application.Features.Orders;

/// <summary>
/// The caller's own order. With <see cref="RevealKeys"/> (the API's GET) every key is decrypted and each
/// read is recorded as a reveal; the order page shows keys masked and reveals one at a time.
/// </summary>
public sealed record GetOrder(string OrderNo, bool RevealKeys, string Channel) : IRequest<OrderView>;

internal sealed class GetOrderHandler(OrderReading reading) : IRequestHandler<GetOrder, OrderView>
{
    public async Task<OrderView> Handle(GetOrder request, CancellationToken cancellationToken)
    {
        var order = await reading.FindOwnAsync(request.OrderNo, cancellationToken)
            ?? throw new NotFoundException(AppText.Get("Orders.NotFound"));
        return await reading.ViewAsync(order, request.RevealKeys, request.Channel, created: false, cancellationToken);
    }
}
