using CardMall.Domain.Tickets;

namespace CardMall.Application.Abstractions;

/// <summary>Who is free to take a ticket: a read over agent profiles, roles and open tickets, kept in Infrastructure.</summary>
public interface IAgentWorkload
{
    /// <summary>
    /// The on-duty agent (or supervisor taking tickets) with <paramref name="skill"/> and the fewest active
    /// tickets; ties go to whoever has waited longest for a ticket. Never <paramref name="buyerId"/>: a member
    /// of staff who bought keys does not handle their own ticket. Null when nobody is on duty with the skill.
    /// </summary>
    Task<Guid?> LeastLoadedAsync(TicketCategory skill, Guid buyerId, CancellationToken ct);
}
