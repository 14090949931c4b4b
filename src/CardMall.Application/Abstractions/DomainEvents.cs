using CardMall.Domain.Common;
using MediatR;

namespace CardMall.Application.Abstractions;

/// <summary>
/// A domain event on its way to its handlers through MediatR (the Domain references no package, so its events are
/// carried in this envelope). Handle one with <c>INotificationHandler&lt;DomainEventNotification&lt;TicketWasMoved&gt;&gt;</c>.
/// </summary>
public sealed record DomainEventNotification<TEvent>(TEvent Event) : INotification where TEvent : IDomainEvent;

public static class DomainEvents
{
    /// <summary>
    /// Hands each event to its handlers, one after the other, in the order they were raised. Called by the
    /// persistence layer right after SaveChanges, inside the caller's transaction (docs/decisions/0025).
    /// </summary>
    public static async Task PublishAsync(this IMediator mediator, IEnumerable<IDomainEvent> events, CancellationToken ct)
    {
        foreach (var e in events)
        {
            var notification = (INotification)Activator.CreateInstance(typeof(DomainEventNotification<>).MakeGenericType(e.GetType()), e)!;
            await mediator.Publish(notification, ct);
        }
    }
}
