using System.Collections.Concurrent;
using CardMall.Application.Abstractions;
using CardMall.Application.Features.Chats;
using Microsoft.AspNetCore.SignalR;

namespace CardMall.Web.Chats;

/// <summary>
/// The live line over SignalR. With several nodes, <c>CardMall:Redis</c> switches on the Redis backplane, so a group
/// send from one node reaches connections on every node. Queue places are sent only when they changed since this
/// node last sent them.
/// </summary>
public sealed class SignalRChatLine(IHubContext<ChatHub> hub) : IChatLine
{
    private readonly ConcurrentDictionary<Guid, (int Position, int? Wait, bool MayLeave)> _lastPlaces = new();

    public Task MessageAsync(ChatMessageView message, bool staffOnly, CancellationToken ct) =>
        hub.Clients.Group(staffOnly ? ChatHub.StaffGroup(message.ChatId) : ChatHub.ChatGroup(message.ChatId)).SendAsync("message", message, ct);

    public async Task ChatChangedAsync(ChatState state, CancellationToken ct)
    {
        if (state.Position is null) _lastPlaces.TryRemove(state.ChatId, out _);
        await hub.Clients.Group(ChatHub.ChatGroup(state.ChatId)).SendAsync("chat", state, ct);
        await hub.Clients.Group(ChatHub.Supervisors).SendAsync("queue", state, ct);
        if (state.AgentId is { } agent) await hub.Clients.User(agent.ToString()).SendAsync("chat", state, ct);
    }

    public Task OfferedAsync(Guid agentId, ChatState state, CancellationToken ct) =>
        hub.Clients.User(agentId.ToString()).SendAsync("offer", state, ct);

    public Task ReadAsync(Guid chatId, string side, int seq, CancellationToken ct) =>
        hub.Clients.Group(ChatHub.ChatGroup(chatId)).SendAsync("read", new { chatId, side, seq }, ct);

    public Task QueueOverTargetAsync(ChatQueueAlert alert, CancellationToken ct) =>
        hub.Clients.Group(ChatHub.Supervisors).SendAsync("alert", alert, ct);

    public async Task PlacesAsync(IReadOnlyList<WaitingChat> waiting, CancellationToken ct)
    {
        foreach (var w in waiting)
        {
            var place = (w.Position, w.EstimatedWaitSeconds, w.MayLeaveMessage);
            if (_lastPlaces.TryGetValue(w.ChatId, out var last) && last == place) continue;
            _lastPlaces[w.ChatId] = place;
            await hub.Clients.Group(ChatHub.ChatGroup(w.ChatId)).SendAsync("place",
                new { chatId = w.ChatId, position = w.Position, estimatedWaitSeconds = w.EstimatedWaitSeconds, mayLeaveMessage = w.MayLeaveMessage }, ct);
        }
        var still = waiting.Select(w => w.ChatId).ToHashSet();
        foreach (var gone in _lastPlaces.Keys.Where(k => !still.Contains(k)).ToList()) _lastPlaces.TryRemove(gone, out _);
    }
}
