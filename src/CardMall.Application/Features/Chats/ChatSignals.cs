using CardMall.Application.Abstractions;
using CardMall.Domain.Chats;
using MediatR;

namespace CardMall.Application.Features.Chats;

/// <summary>
/// Collects what a unit of work did to chats (from their domain events) and tells the live line once it is
/// committed: every message in order, each changed chat's state once (however many times it changed), offers,
/// read receipts. Nothing reaches a browser that a rollback could take back.
/// </summary>
internal sealed class ChatSignals(IChatLine line, ChatQueue queue, ChatDesk desk, AfterCommit afterCommit)
{
    private readonly List<Func<CancellationToken, Task>> _messages = [];
    private readonly Dictionary<Guid, (Chat Chat, Guid? OfferedTo)> _changed = [];
    private bool _scheduled;

    public async Task PostedAsync(Chat chat, ChatMessage message, CancellationToken ct)
    {
        string? name = message.Author is ChatAuthor.Agent or ChatAuthor.Note && message.AuthorId is { } author ? await desk.NameOfAsync(author, ct) : null;
        var view = ChatWording.View(message, name);
        _messages.Add(c => line.MessageAsync(view, message.Author == ChatAuthor.Note, c));
        Schedule();
    }

    public void Changed(Chat chat, Guid? offeredTo = null)
    {
        var previous = _changed.TryGetValue(chat.Id, out var p) ? p.OfferedTo : null;
        _changed[chat.Id] = (chat, offeredTo ?? previous);
        Schedule();
    }

    public void Read(Chat chat, ChatAuthor side, int seq)
    {
        _messages.Add(c => line.ReadAsync(chat.Id, ChatWording.Author(side), seq, c));
        Schedule();
    }

    private void Schedule()
    {
        if (_scheduled) return;
        _scheduled = true;
        afterCommit.Add(FlushAsync);
    }

    private async Task FlushAsync(CancellationToken ct)
    {
        _scheduled = false;
        foreach (var send in _messages.ToList()) await send(ct);
        _messages.Clear();
        foreach (var (chat, offeredTo) in _changed.Values.ToList())
        {
            var agentName = chat.AgentId is { } agent ? await desk.NameOfAsync(agent, ct) : null;
            var state = await queue.StateAsync(chat, agentName, null, desk.Now, ct);
            await line.ChatChangedAsync(state, ct);
            if (offeredTo is { } to && chat.Status == ChatStatus.Offered && chat.AgentId == to) await line.OfferedAsync(to, state, ct);
        }
        _changed.Clear();
    }
}

internal sealed class ChatLineNotices(ChatSignals signals) :
    INotificationHandler<DomainEventNotification<ChatMessagePosted>>,
    INotificationHandler<DomainEventNotification<ChatChanged>>,
    INotificationHandler<DomainEventNotification<ChatWasOffered>>,
    INotificationHandler<DomainEventNotification<ChatWasRead>>
{
    public Task Handle(DomainEventNotification<ChatMessagePosted> n, CancellationToken ct) => signals.PostedAsync(n.Event.Chat, n.Event.Message, ct);

    public Task Handle(DomainEventNotification<ChatChanged> n, CancellationToken ct)
    {
        signals.Changed(n.Event.Chat);
        return Task.CompletedTask;
    }

    public Task Handle(DomainEventNotification<ChatWasOffered> n, CancellationToken ct)
    {
        signals.Changed(n.Event.Chat, n.Event.AgentId);
        return Task.CompletedTask;
    }

    public Task Handle(DomainEventNotification<ChatWasRead> n, CancellationToken ct)
    {
        signals.Read(n.Event.Chat, n.Event.Side, n.Event.Seq);
        return Task.CompletedTask;
    }
}
