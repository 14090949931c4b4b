using CardMall.Domain.Common;
using CardMall.Domain.Verification;

namespace CardMall.Domain.Tickets;

// What a ticket tells the rest of the shop, raised by its methods and handled after the change is saved (in the
// same transaction): who hears of it is decided by the notice handlers (Features/Tickets/TicketNotices.cs).

/// <summary>A ticket exists; <paramref name="ByBuyer"/> is false when a rule of the shop opened it.</summary>
public sealed record TicketWasFiled(Ticket Ticket, bool ByBuyer) : IDomainEvent;

/// <summary>Somebody other than the buyer moved the ticket: the buyer hears of it.</summary>
public sealed record TicketWasMoved(Ticket Ticket, TicketStatus To) : IDomainEvent;

/// <summary>Staff answered the buyer publicly.</summary>
public sealed record StaffAnswered(Ticket Ticket) : IDomainEvent;

/// <summary>The buyer answered; <paramref name="Reopened"/> when the answer reopened a resolved ticket.</summary>
public sealed record BuyerAnswered(Ticket Ticket, bool Reopened) : IDomainEvent;

public sealed record BuyerReopenedTicket(Ticket Ticket) : IDomainEvent;

public enum AssignmentWay
{
    /// <summary>Routing chose the agent when the ticket was filed.</summary>
    Routed,
    /// <summary>The agent took the ticket (a supervisor may take it over from another agent).</summary>
    Claimed,
    /// <summary>A supervisor handed the ticket to an agent.</summary>
    Reassigned,
}

public sealed record TicketWasAssigned(Ticket Ticket, Guid AgentId, Guid? PreviousAgentId, AssignmentWay Way, Guid? ById) : IDomainEvent;

public sealed record InternalNoteWasAdded(Ticket Ticket, Guid AuthorId) : IDomainEvent;

public sealed record BuyerUrgedTicket(Ticket Ticket, int UrgeCount, bool PriorityRaised) : IDomainEvent;

public sealed record BuyerRatedTicket(Ticket Ticket, int Score) : IDomainEvent;

/// <summary>A new key was delivered for one of the ticket's keys, on <paramref name="OrderNo"/>.</summary>
public sealed record KeyWasReplaced(Ticket Ticket, string OrderNo) : IDomainEvent;

/// <summary>A refund or compensation reached the buyer's wallet.</summary>
public sealed record PayoutWasPaid(Ticket Ticket, PayoutKind Kind, decimal Amount) : IDomainEvent;

/// <summary>A payout asked for on the ticket was declined.</summary>
public sealed record PayoutWasDeclined(Ticket Ticket) : IDomainEvent;

/// <summary>A clock passed its target: supervisors and the assignee hear of it.</summary>
public sealed record SlaWasBreached(Ticket Ticket) : IDomainEvent;

/// <summary>A clock reached <paramref name="WarnAt"/> (0.8) of its target: the assignee is warned.</summary>
public sealed record SlaWarningReached(Ticket Ticket, double WarnAt) : IDomainEvent;

public sealed record CheckInWasSent(Ticket Ticket) : IDomainEvent;

/// <summary>A key check needs a person: the buyer hears a person is checking, the assignee (unless it is who ran it) is paged.</summary>
public sealed record VerificationNeedsPerson(Ticket Ticket, Guid? RunById) : IDomainEvent;

/// <summary>The round's checks found unused keys: the buyer gets the guidance notice, and the ticket waits on them.</summary>
public sealed record VerificationSentGuidance(Ticket Ticket) : IDomainEvent;

/// <summary>The supplier's interface could not answer check <paramref name="VerificationId"/>: risk hears of it.</summary>
public sealed record SupplierWasUnreachable(Ticket Ticket, Guid VerificationId) : IDomainEvent;

/// <summary>One key check as the ticket takes it: the policy's plan, and what the shop put into words for it.</summary>
/// <param name="ReplacedOnOrder">The order the new key was delivered on, when the check replaced the key.</param>
public sealed record VerificationOnTicket(Guid VerificationId, VerificationPlan Plan, string? ReplacedOnOrder, string? BuyerMessage, string? FactsNote);

/// <summary>A piece of evidence as the buyer uploaded it, its content type already checked.</summary>
public sealed record Evidence(string FileName, string ContentType, byte[] Content);
