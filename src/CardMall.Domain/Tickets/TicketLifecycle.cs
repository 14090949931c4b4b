namespace CardMall.Domain.Tickets;

/// <summary>
/// The ticket state machine: New → Open ⇄ Waiting on buyer / Waiting on supplier → Resolved → Closed,
/// and a reopen from Resolved or Closed back to Open. Anything else is refused.
/// </summary>
public static class TicketLifecycle
{
    private static readonly Dictionary<TicketStatus, TicketStatus[]> Allowed = new()
    {
        [TicketStatus.New] = [TicketStatus.Open, TicketStatus.WaitingOnBuyer, TicketStatus.WaitingOnSupplier, TicketStatus.Resolved],
        [TicketStatus.Open] = [TicketStatus.WaitingOnBuyer, TicketStatus.WaitingOnSupplier, TicketStatus.Resolved],
        [TicketStatus.WaitingOnBuyer] = [TicketStatus.Open, TicketStatus.WaitingOnSupplier, TicketStatus.Resolved],
        [TicketStatus.WaitingOnSupplier] = [TicketStatus.Open, TicketStatus.WaitingOnBuyer, TicketStatus.Resolved],
        [TicketStatus.Resolved] = [TicketStatus.Closed, TicketStatus.Open],
        [TicketStatus.Closed] = [TicketStatus.Open],
    };

    public static bool CanMove(TicketStatus from, TicketStatus to) => Allowed[from].Contains(to);

    /// <summary>The SLA clock does not run while the ticket waits on the buyer or is resolved.</summary>
    public static bool ClockRuns(TicketStatus status) =>
        status is TicketStatus.New or TicketStatus.Open or TicketStatus.WaitingOnSupplier;

    /// <summary>Still somebody's work: counts towards an agent's load and the backlog.</summary>
    public static bool IsActive(TicketStatus status) => status is not (TicketStatus.Resolved or TicketStatus.Closed);

    public static readonly TicketStatus[] ActiveStatuses =
        [TicketStatus.New, TicketStatus.Open, TicketStatus.WaitingOnBuyer, TicketStatus.WaitingOnSupplier];
}
