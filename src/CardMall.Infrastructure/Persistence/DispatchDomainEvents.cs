using CardMall.Application.Abstractions;
using CardMall.Domain.Common;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CardMall.Infrastructure.Persistence;

/// <summary>
/// Hands the domain events of the saved aggregates to their handlers right after SaveChanges, then saves what the
/// handlers added (notifications, their e-mails in the outbox, follow-up tasks). Commands run inside the transaction
/// behavior's transaction, so the change and its notices commit together or not at all — as when the use cases
/// wrote the notices themselves (docs/decisions/0025). Handlers that raise further events are served in turn.
/// </summary>
internal sealed class DispatchDomainEvents(IMediator mediator) : SaveChangesInterceptor
{
    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is not { } context) return result;
        var events = context.ChangeTracker.Entries<AggregateRoot>().SelectMany(e => e.Entity.TakeDomainEvents()).ToList();
        if (events.Count == 0) return result;
        await mediator.PublishAsync(events, cancellationToken);
        return result + await context.SaveChangesAsync(cancellationToken);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        // Nothing that raises events saves synchronously; failing loudly beats notices that silently never go out.
        if (eventData.Context?.ChangeTracker.Entries<AggregateRoot>().Any(e => e.Entity.DomainEvents.Count > 0) == true)
            throw new InvalidOperationException("Domain events are dispatched by SaveChangesAsync only.");
        return result;
    }
}
