using CardMall.Application.Abstractions;
using CardMall.Domain.Chats;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CardMall.Application.Features.Chats;

/// <summary>
/// The honest queue: a waiting chat's place (how many waiting chats were queued before it, offers included) and an
/// estimate of the wait from what the desk can take now. The estimate: a place within the free seats waits only for
/// an agent to accept; beyond them, each place ahead waits for a seat to free, one every (average chat length ÷
/// seats) — the average measured over the last day's answered chats, or the shop's default without history.
/// </summary>
internal sealed class ChatQueue(ICardMallDb db, IOptions<ChatOptions> options)
{
    /// <summary>What the desk can take right now.</summary>
    public sealed record Capacity(int AgentsOnline, int Seats, int FreeSeats, TimeSpan AverageChat);

    public async Task<Capacity> CapacityAsync(DateTimeOffset now, CancellationToken ct)
    {
        var online = await db.AgentProfiles.AsNoTracking()
            .Where(a => a.OnDuty && a.Availability == AgentAvailability.Online)
            .Select(a => new { a.ChatLimit, Held = db.Chats.Count(c => c.AgentId == a.UserId && (c.Status == ChatStatus.Offered || c.Status == ChatStatus.Active)) })
            .ToListAsync(ct);
        var since = now.AddDays(-1);
        var lengths = await db.Chats.AsNoTracking()
            .Where(c => c.CreatedAt >= since && c.AcceptedAt != null && c.EndedAt != null && c.Status == ChatStatus.Ended)
            .Select(c => c.EndedAt!.Value - c.AcceptedAt!.Value).Take(500).ToListAsync(ct);
        var average = lengths.Count >= 5 ? TimeSpan.FromSeconds(lengths.Average(l => l.TotalSeconds)) : options.Value.DefaultHandleTime;
        return new Capacity(online.Count, online.Sum(a => a.ChatLimit), online.Sum(a => Math.Max(0, a.ChatLimit - a.Held)), average);
    }

    /// <summary>1 for the first waiting chat; null once it is no longer waiting.</summary>
    public async Task<int?> PositionAsync(Chat chat, CancellationToken ct) =>
        chat.IsWaiting
            ? await db.Chats.CountAsync(c => (c.Status == ChatStatus.Queued || c.Status == ChatStatus.Offered)
                                            && c.QueuedAt <= chat.QueuedAt, ct)
            : null;

    /// <summary>Seconds to a person at <paramref name="position"/>; null when nobody is online to take it.</summary>
    public int? EstimateSeconds(int position, Capacity capacity)
    {
        if (capacity.Seats == 0) return null;
        var connect = Math.Min(options.Value.OfferTimeout.TotalSeconds, 10);
        var ahead = position - capacity.FreeSeats;
        if (ahead <= 0) return (int)connect;
        return (int)Math.Ceiling(connect + ahead * capacity.AverageChat.TotalSeconds / capacity.Seats);
    }

    public bool MayLeaveMessage(int? estimate) => estimate is null || estimate >= options.Value.LeaveMessageAfter.TotalSeconds;

    /// <summary>Where <paramref name="chat"/> stands now, for its buyer and the live line.</summary>
    public async Task<ChatState> StateAsync(Chat chat, string? agentName, string? ticketNo, DateTimeOffset now, CancellationToken ct)
    {
        int? position = null, estimate = null;
        var mayLeave = false;
        if (chat.IsWaiting)
        {
            position = await PositionAsync(chat, ct);
            estimate = EstimateSeconds(position ?? 1, await CapacityAsync(now, ct));
            mayLeave = MayLeaveMessage(estimate);
        }
        return new ChatState(chat.Id, chat.BuyerId, ChatWording.Status(chat.Status), chat.Status == ChatStatus.Active ? chat.AgentId : null,
            chat.Status is ChatStatus.Active or ChatStatus.Ended ? agentName : null, position, estimate, mayLeave, ticketNo, chat.Rating,
            chat.BuyerReadSeq, chat.AgentReadSeq);
    }
}
