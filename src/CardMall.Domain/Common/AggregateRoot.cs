namespace CardMall.Domain.Common;

/// <summary>Something that happened inside an aggregate that others react to after it is saved (notices, incidents).</summary>
public interface IDomainEvent;

/// <summary>
/// An aggregate raises domain events while it changes; the persistence layer takes them after SaveChanges and
/// hands them to their handlers in the same transaction (docs/decisions/0025).
/// </summary>
public abstract class AggregateRoot
{
    private readonly List<IDomainEvent> _domainEvents = [];

    public IReadOnlyList<IDomainEvent> DomainEvents => _domainEvents;

    protected void Raise(IDomainEvent domainEvent) => _domainEvents.Add(domainEvent);

    /// <summary>The events raised so far, handed over once: a second save does not publish them again.</summary>
    public IReadOnlyList<IDomainEvent> TakeDomainEvents()
    {
        var taken = _domainEvents.ToList();
        _domainEvents.Clear();
        return taken;
    }
}
