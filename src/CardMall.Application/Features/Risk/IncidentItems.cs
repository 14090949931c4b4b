using System.Globalization;
using CardMall.Application.Abstractions;
using CardMall.Domain.Risk;

namespace CardMall.Application.Features.Risk;

/// <summary>A key of the incident's batch on one of its tickets. Set by name, so queries can go on composing on it.</summary>
internal sealed record AffectedItem
{
    public required Guid TicketId { get; init; }
    public required Guid ItemId { get; init; }
    public required Guid OrderId { get; init; }
    public required Guid CardKeyId { get; init; }
}

internal static class IncidentItems
{
    /// <summary>
    /// The incident's affected items: the items on its linked tickets whose key comes from its batch. A
    /// replacement key from another batch on the same ticket is not affected.
    /// </summary>
    public static IQueryable<AffectedItem> AffectedItems(this ICardMallDb db, Incident incident) =>
        from l in db.IncidentTickets
        join ti in db.TicketItems on l.TicketId equals ti.TicketId
        join oi in db.OrderItems on ti.OrderItemId equals oi.Id
        join k in db.CardKeys on oi.CardKeyId equals k.Id
        where l.IncidentId == incident.Id && k.BatchId == incident.BatchId
        select new AffectedItem { TicketId = l.TicketId, ItemId = oi.Id, OrderId = oi.OrderId, CardKeyId = oi.CardKeyId };

    /// <summary>
    /// The refund's request key for one item (at most 62 characters, within the column's 64): the unique
    /// (ticket, request key) index makes a second press pay nothing.
    /// </summary>
    public static string RefundKey(string incidentNo, Guid itemId) =>
        "incident:" + incidentNo + ":" + itemId.ToString("N", CultureInfo.InvariantCulture);
}
