using System.Text;
using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Assistant;

/// <summary>
/// A conversation as the agent reads it on the ticket it hands over to: every turn with its time and who
/// spoke, so the buyer never has to repeat themselves.
/// </summary>
internal static class AssistantTranscript
{
    /// <summary>The longest opening message a ticket takes (Ticket.Description); older turns give way first.</summary>
    private const int MaxLength = 4000;

    public static async Task<string> WriteAsync(ICardMallDb db, Guid conversationId, CancellationToken ct)
    {
        var turns = await db.AssistantTurns.AsNoTracking().Where(t => t.ConversationId == conversationId).OrderBy(t => t.Id)
            .Select(t => new { t.At, t.FromBuyer, t.Text }).ToListAsync(ct);
        var lines = turns.Select(t => $"[{ShopTime.Minutes(t.At)}] {AppText.Get(t.FromBuyer ? "Assistant.Transcript.Buyer" : "Assistant.Transcript.Assistant")}: {t.Text}")
            .ToList();
        var header = AppText.Get("Assistant.Transcript.Heading");
        while (lines.Count > 1 && header.Length + lines.Sum(l => l.Length + 1) > MaxLength) lines.RemoveAt(0);
        var text = new StringBuilder(header);
        foreach (var line in lines) text.Append('\n').Append(line);
        return text.Length > MaxLength ? text.ToString(0, MaxLength) : text.ToString();
    }
}
