using CardMall.Application.Telemetry;
using MediatR;

namespace CardMall.Application.Features.Tickets;

/// <summary>Every filed ticket, whatever the channel, counts once in the shop's metrics.</summary>
internal sealed class CountFiledTicket(ShopMetrics metrics) : INotificationHandler<TicketFiled>
{
    public Task Handle(TicketFiled notification, CancellationToken cancellationToken)
    {
        metrics.TicketFiled();
        return Task.CompletedTask;
    }
}
