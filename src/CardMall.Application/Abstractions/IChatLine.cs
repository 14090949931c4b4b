using CardMall.Application.Features.Chats;

namespace CardMall.Application.Abstractions;

/// <summary>
/// The live line to connected browsers (SignalR in Web, through the Redis backplane when there are several nodes).
/// Called only after the change is committed; a connection that misses a call catches up from the database.
/// </summary>
public interface IChatLine
{
    /// <summary>A new message to everybody in the chat; an internal note only to staff.</summary>
    Task MessageAsync(ChatMessageView message, bool staffOnly, CancellationToken ct);

    /// <summary>The chat's status, agent or place in the queue, to everybody in it, its agent and supervisors.</summary>
    Task ChatChangedAsync(ChatState state, CancellationToken ct);

    /// <summary>A chat is offered to <paramref name="agentId"/> (the console rings).</summary>
    Task OfferedAsync(Guid agentId, ChatState state, CancellationToken ct);

    /// <summary>One side read up to <paramref name="seq"/> (read receipts).</summary>
    Task ReadAsync(Guid chatId, string side, int seq, CancellationToken ct);

    /// <summary>Each waiting buyer's place and estimated wait, as the queue moves (sent only when it changed).</summary>
    Task PlacesAsync(IReadOnlyList<WaitingChat> waiting, CancellationToken ct);

    /// <summary>The queue's longest wait passed the target: supervisors watching the live queue are alerted.</summary>
    Task QueueOverTargetAsync(ChatQueueAlert alert, CancellationToken ct);
}
