using CardMall.Application.Abstractions;
using CardMall.Application.Accounts;
using CardMall.Domain.Accounts;
using CardMall.Domain.Orders;
using CardMall.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Tickets;

/// <summary>Who the buyer is to the desk: their dedicated agent, latest other orders and other tickets.</summary>
internal sealed class StaffBuyerHistory(ICardMallDb db)
{
    private const int HistoryLength = 10;

    public async Task<BuyerHistory> ReadAsync(ShopUser buyer, Ticket ticket, bool english, CancellationToken ct)
    {
        var dedicated = await (from d in db.DedicatedAgents
                               join u in db.Users on d.AgentId equals u.Id
                               where d.BuyerId == buyer.Id
                               select u.DisplayName).FirstOrDefaultAsync(ct);
        var otherOrders = await (from o in db.Orders.AsNoTracking()
                                 join p in db.Products on o.ProductId equals p.Id
                                 where o.UserId == buyer.Id && o.Id != ticket.OrderId
                                 orderby o.CreatedAt descending
                                 select new BuyerOrderLine(o.No, english ? p.NameEn : p.NameZh, o.Quantity, o.Total, o.RefundedAmount, o.Status, o.CreatedAt))
            .Take(HistoryLength).ToListAsync(ct);
        var otherTickets = await db.Tickets.AsNoTracking()
            .Where(t => t.BuyerId == buyer.Id && t.Id != ticket.Id)
            .OrderByDescending(t => t.CreatedAt)
            .Select(t => new BuyerTicketLine(t.No, t.Category, t.Status, t.Resolution, t.Rating, t.CreatedAt))
            .Take(HistoryLength).ToListAsync(ct);

        return new BuyerHistory(dedicated, otherOrders, otherTickets);
    }
}

internal sealed record BuyerHistory(string? DedicatedAgent, IReadOnlyList<BuyerOrderLine> Orders, IReadOnlyList<BuyerTicketLine> Tickets);

/// <summary>The buyer as the desk sees them; <see cref="Language"/> is the one they read (zh-CN or en-US), which replies are written in.</summary>
public sealed record StaffBuyer(Guid UserId, string Name, string Email, MemberTier Tier, DateTimeOffset MemberSince, string? DedicatedAgent, string TimeZoneId,
    string Language);

public sealed record BuyerOrderLine(string OrderNo, string ProductName, int Quantity, decimal Total, decimal RefundedAmount, OrderStatus Status, DateTimeOffset CreatedAt);

public sealed record BuyerTicketLine(string TicketNo, TicketCategory Category, TicketStatus Status, TicketResolution? Resolution, int? Rating, DateTimeOffset CreatedAt);
