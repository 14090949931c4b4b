using CardMall.Application.Abstractions;
using CardMall.Application.Features.Tickets;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Chats;

/// <summary>
/// Who the agent is talking to, beside the conversation: the buyer, the order they came from with its keys masked
/// (as in the ticket workspace), their latest orders and open tickets, and the reply templates filled in the chat's
/// language (the buyer's, whatever language the agent's page is in).
/// </summary>
public sealed record GetChatBuyerPanel(Guid ChatId) : IRequest<ChatBuyerPanel>;

public sealed record ChatBuyerPanel(Guid ChatId, string BuyerName, string BuyerEmail, MemberTier Tier, DateTimeOffset MemberSince, string Culture,
    string? OrderNo, IReadOnlyList<StaffKey> OrderKeys, IReadOnlyList<BuyerOrderLine> Orders, IReadOnlyList<BuyerTicketLine> OpenTickets,
    IReadOnlyList<ChatTemplate> Templates, string? TicketNo);

public sealed record ChatTemplate(Guid Id, string Title, string Body);

internal sealed class GetChatBuyerPanelHandler(ICardMallDb db, ICurrentUser currentUser, StaffKeyHistory keys) : IRequestHandler<GetChatBuyerPanel, ChatBuyerPanel>
{
    public async Task<ChatBuyerPanel> Handle(GetChatBuyerPanel request, CancellationToken ct)
    {
        currentUser.RequireAnyRole(ChatDesk.WorkRoles);
        var chat = await db.Chats.AsNoTracking().FirstOrDefaultAsync(c => c.Id == request.ChatId, ct) ?? throw ChatDesk.NotFound();
        var buyer = await db.Users.AsNoTracking().FirstAsync(u => u.Id == chat.BuyerId, ct);
        var english = VisitorLanguage.Of(chat.Culture) == VisitorLanguage.English;
        var order = chat.OrderId is { } orderId ? await db.Orders.Include(o => o.Items).AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, ct) : null;
        var orderKeys = order is null ? [] : (await keys.ReadAsync(order, [], ct)).Select(k => k.View).ToList();
        var orders = await (from o in db.Orders.AsNoTracking()
                            join p in db.Products on o.ProductId equals p.Id
                            where o.UserId == buyer.Id
                            orderby o.CreatedAt descending
                            select new BuyerOrderLine(o.No, english ? p.NameEn : p.NameZh, o.Quantity, o.Total, o.RefundedAmount, o.Status, o.CreatedAt))
            .Take(5).ToListAsync(ct);
        var open = await db.Tickets.AsNoTracking()
            .Where(t => t.BuyerId == buyer.Id && t.Status != TicketStatus.Resolved && t.Status != TicketStatus.Closed)
            .OrderByDescending(t => t.CreatedAt)
            .Select(t => new BuyerTicketLine(t.No, t.Category, t.Status, t.Resolution, t.Rating, t.CreatedAt)).Take(10).ToListAsync(ct);
        var values = new Dictionary<string, string>
        {
            ["{buyer}"] = GetStaffTicketHandler.BuyerName(buyer),
            ["{orderNo}"] = order?.No ?? "",
            ["{maskedKey}"] = orderKeys.FirstOrDefault()?.MaskedCode ?? "",
            ["{dueAt}"] = "",
        };
        var templates = (await db.ReplyTemplates.AsNoTracking().Where(t => t.IsActive).ToListAsync(ct))
            .OrderBy(t => t.Category is null ? 0 : 1).ThenBy(t => t.Title, StringComparer.CurrentCulture)
            .Select(t => new ChatTemplate(t.Id, t.Title, ReplyPlaceholders.Fill(english ? t.BodyEn : t.BodyZh, values))).ToList();
        var ticketNo = chat.TicketId is { } tid ? await db.Tickets.Where(t => t.Id == tid).Select(t => t.No).FirstOrDefaultAsync(ct) : null;
        return new ChatBuyerPanel(chat.Id, GetStaffTicketHandler.BuyerName(buyer), buyer.Email ?? "", buyer.Tier, buyer.CreatedAt, chat.Culture,
            order?.No, orderKeys, orders, open, templates, ticketNo);
    }
}
