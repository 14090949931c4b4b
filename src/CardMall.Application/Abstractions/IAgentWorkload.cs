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

    /// <summary>
    /// The online agent (or supervisor) to offer a chat to: one with a free seat (fewer chats held than their limit),
    /// not <paramref name="buyerId"/>; anyone not in <paramref name="passedOver"/> before those who let this chat's offer
    /// lapse (so a chat never starves once everybody has missed it once); <paramref name="preferred"/> (a new buyer's
    /// dedicated agent) when they qualify, then the fewest chats held, then whoever has waited longest for one. With a <paramref name="skill"/>, only agents who have it — unless nobody online has it, when anyone will
    /// do (a chat must not wait for a skill nobody on shift has). Null when nobody is free now.
    /// </summary>
    Task<Guid?> FreeChatAgentAsync(TicketCategory? skill, Guid buyerId, IReadOnlyCollection<Guid> passedOver, Guid? preferred, CancellationToken ct);
}
