using CardMall.Application.Abstractions;
using CardMall.Application.Features.Tickets;
using CardMall.Application.Localization;
using CardMall.Domain.Chats;
using CardMall.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Chats;

/// <summary>
/// A chat becomes a ticket — left as a message while waiting, or turned into one by either side — through the
/// ticket filing every ticket goes through (SLA from then, routing, the buyer's confirmation), with the transcript
/// as its opening message. Internal notes stay out of it.
/// </summary>
internal sealed class ChatTickets(ICardMallDb db, TicketFiling filing)
{
    public Task<Ticket> FileAsync(Chat chat, CancellationToken ct) => FileAsync(chat, null, [], ct);

    /// <summary>A ticket about <paramref name="items"/> ((order id, order item id) pairs; the order is the first key's, else the chat's).</summary>
    public async Task<Ticket> FileAsync(Chat chat, TicketCategory? category, IReadOnlyList<(Guid OrderId, Guid ItemId)> items, CancellationToken ct)
    {
        var transcript = await TranscriptAsync(chat, ct);
        var orderId = items.Count > 0 ? items[0].OrderId : chat.OrderId;
        var bulk = items.Select(i => i.OrderId).Distinct().Count() > 1;
        return await filing.FileAsync(new NewTicket(chat.BuyerId, bulk ? null : orderId, category ?? chat.Skill ?? TicketCategory.Other, TicketPriority.Normal,
            transcript, Device: null, Channel: "chat", IsBulk: bulk, items, []), ct);
    }

    /// <summary>The conversation as plain text, oldest first, including what this unit of work has not saved yet.</summary>
    private async Task<string> TranscriptAsync(Chat chat, CancellationToken ct)
    {
        var saved = await db.ChatMessages.AsNoTracking().Where(m => m.ChatId == chat.Id && m.Author != ChatAuthor.Note)
            .OrderBy(m => m.Seq).Take(500).ToListAsync(ct);
        var lines = saved.Concat(chat.NewMessages.Where(m => m.Author != ChatAuthor.Note && saved.All(s => s.Seq != m.Seq)))
            .Select(m => $"[{m.At:HH:mm}] {AppText.Get("Chats.Author." + ChatWording.Author(m.Author))}: {ChatWording.Body(m.Author, m.Body)}");
        var text = AppText.Get("Chats.TranscriptTitle") + "\n" + string.Join("\n", lines);
        return text.Length > 4000 ? text[..4000] : text;
    }
}
