using CardMall.Domain.Tickets;
using MediatR;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// Published inside the filing transaction when a buyer's ticket exists (any channel: page, API, bulk,
/// assistant). Verification queues checks of the keys; risk links the ticket to its batch's incident.
/// Handlers must not call outside services here — they queue work, the transaction commits it.
/// </summary>
public sealed record TicketFiled(Guid TicketId, TicketCategory Category, IReadOnlyList<Guid> OrderItemIds) : INotification;

public static class KeyComplaints
{
    /// <summary>Categories that say a key itself is bad: verified against the supplier, counted for incidents.</summary>
    public static bool IsKeyComplaint(this TicketCategory category) =>
        category is TicketCategory.KeyInvalid or TicketCategory.KeyAlreadyUsed or TicketCategory.ActivationFailed;
}
