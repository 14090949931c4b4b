using CardMall.Application.Abstractions;
using CardMall.Domain.Orders;
using CardMall.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// How every ticket comes to exist, whoever files it (the buyer's form or API, a reseller's bulk ticket,
/// the assistant, the risk rules): SLA targets from the priority's policy, the keys it is about, the
/// opening message with its evidence, routing to an agent, the buyer's confirmation (when the buyer wrote it), and
/// <see cref="TicketFiled"/> for verification and incident detection — all in the caller's transaction.
/// </summary>
internal sealed class TicketFiling(ICardMallDb db, ICurrentUser currentUser, TicketDesk desk, TicketRouting routing, EvidenceQuota quota, IMediator mediator)
{
    public async Task<Ticket> FileAsync(NewTicket filing, CancellationToken ct)
    {
        await quota.EnsureRoomAsync(filing.BuyerId, filing.Evidence, nameof(NewTicket.Evidence), ct);
        var now = desk.Now;
        var policy = await db.SlaPolicies.AsNoTracking().FirstAsync(p => p.Priority == filing.Priority, ct);
        var ticket = new Ticket(OrderNumbers.NewTicketNo(now), filing.BuyerId, filing.OrderId, filing.Category, filing.Priority,
            filing.Description, string.IsNullOrEmpty(filing.Device) ? null : filing.Device, filing.Channel, filing.IsBulk, policy.Targets, now);
        db.Tickets.Add(ticket);
        foreach (var (orderId, itemId) in filing.Items) db.TicketItems.Add(new TicketItem(ticket.Id, orderId, itemId));
        ticket.Open(filing.OpeningAuthor, currentUser.UserId, EvidenceRules.Checked(filing.Evidence), now);
        if (await routing.ChooseAgentAsync(filing.BuyerId, filing.Category, now, ct) is { } agentId) ticket.Route(agentId, now);
        await db.SaveChangesAsync(ct);
        await mediator.Publish(new TicketFiled(ticket.Id, ticket.Category, filing.Items.Select(i => i.ItemId).ToList()), ct);
        return ticket;
    }
}

/// <summary>What a new ticket needs. <see cref="Items"/> are (order id, order item id) pairs.</summary>
internal sealed record NewTicket(
    Guid BuyerId, Guid? OrderId, TicketCategory Category, TicketPriority Priority, string Description, string? Device,
    string Channel, bool IsBulk, IReadOnlyList<(Guid OrderId, Guid ItemId)> Items, IReadOnlyList<EvidenceUpload> Evidence,
    MessageAuthor OpeningAuthor = MessageAuthor.Buyer);
