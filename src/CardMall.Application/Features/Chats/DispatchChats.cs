using CardMall.Application.Abstractions;
using CardMall.Application.Features.Notifications;
using CardMall.Application.Features.Tickets;
using CardMall.Domain.Chats;
using CardMall.Domain.Notifications;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CardMall.Application.Features.Chats;

/// <summary>
/// One pass of the chat dispatcher (every second, and at once when a chat starts on this node): offers that lapsed
/// move on (the agent is passed over for that chat and set away), then the waiting chats, oldest first, are offered to free agents by the ticket
/// routing's rules (a new buyer's dedicated agent first, then the least loaded with the skill). One node at a time
/// (an advisory lock), so two nodes never offer one seat twice. Supervisors are alerted when the longest wait passes
/// the target (<see cref="ChatWaitAlert"/>).
/// </summary>
public sealed record DispatchChats(int BatchSize = 200) : ICommand<ChatDispatchPass>;

internal sealed class DispatchChatsHandler(
    ICardMallDb db, IAgentWorkload workload, ChatDesk desk, IOptions<ChatOptions> options, AfterCommit afterCommit, IChatLine line, IMediator mediator,
    ChatWaitAlert waitAlert)
    : IRequestHandler<DispatchChats, ChatDispatchPass>
{
    /// <summary>pg advisory lock key for the pass ("chatdisp").</summary>
    internal const long LockKey = 0x6368_6174_6469_7370;

    public async Task<ChatDispatchPass> Handle(DispatchChats request, CancellationToken ct)
    {
        if (!await db.Locks.TryAloneAsync(LockKey, ct)) return new ChatDispatchPass(false, 0, 0, 0);
        var now = desk.Now;

        var waiting = await db.Chats.Where(c => c.Status == ChatStatus.Queued || c.Status == ChatStatus.Offered)
            .OrderBy(c => c.QueuedAt).Take(request.BatchSize).Select(c => c.Id).ToListAsync(ct);
        int lapsed = 0, offered = 0;
        foreach (var id in waiting)
        {
            // Skipped when a buyer or agent is changing it right now: the next pass looks again.
            if (await db.Locks.TryLockAsync<Chat>(id, ct) is not { } chat) continue;
            var offeredTo = chat.AgentId;
            if (chat.LapseOffer(now, options.Value.OfferTimeout))
            {
                lapsed++;
                await AwayAsync(offeredTo!.Value, now, ct);
            }
            waitAlert.Look(chat, now);
            if (chat.Status != ChatStatus.Queued) continue;
            var dedicated = await db.DedicatedAgents.Where(d => d.BuyerId == chat.BuyerId).Select(d => (Guid?)d.AgentId).FirstOrDefaultAsync(ct);
            if (await workload.FreeChatAgentAsync(chat.Skill, chat.BuyerId, chat.PassedOver, dedicated, ct) is not { } agentId) continue;
            chat.OfferTo(agentId, now);
            offered++;
            // Saved at once: the next chat's routing counts this offer against the agent's seats.
            await db.SaveChangesAsync(ct);
        }
        await waitAlert.SendIfNewAsync(now, waiting.Count, ct);
        // Once committed, every waiting buyer hears their place (the queue moved, or agents came and went).
        afterCommit.Add(async c => await line.PlacesAsync(await mediator.Send(new ListWaitingChats(), c), c));
        return new ChatDispatchPass(true, waiting.Count, lapsed, offered);
    }

    /// <summary>
    /// An agent who let an offer lapse is not at the console (a closed tab, a break): set away, so no further chat
    /// waits 30 s for them, and told so. Tickets still reach them; they switch back to online when they return.
    /// </summary>
    private async Task AwayAsync(Guid agentId, DateTimeOffset now, CancellationToken ct)
    {
        var profile = await db.LockOrCreateAgentProfileAsync(agentId, now, ct);
        if (profile.Availability != AgentAvailability.Online) return;
        profile.SetAvailability(AgentAvailability.Away);
        profile.UpdatedAt = now;
        db.Send(agentId, NotificationKind.ChatOfferMissed, "/Admin/Chats", now, email: false);
    }
}

public sealed record ChatDispatchPass(bool Ran, int Waiting, int Lapsed, int Offered);
