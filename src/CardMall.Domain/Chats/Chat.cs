using CardMall.Domain.Common;
using CardMall.Domain.Tickets;

namespace CardMall.Domain.Chats;

/// <summary>
/// A live conversation between a buyer and a person (在线客服). It waits in the queue, is offered to one agent at
/// a time (an offer not taken within the shop's offer timeout moves on, and that agent is passed over), becomes
/// active when an agent accepts, and ends — answered, abandoned while waiting, or left as a ticket. It is an
/// aggregate like <see cref="Ticket"/>: a handler loads it with its lock, calls one method and saves; the method
/// checks the state, appends the messages it owns (numbered, so a reconnecting client asks for what came after
/// the last number it saw) and raises the domain events that reach the live line after the commit.
/// </summary>
public sealed class Chat : AggregateRoot
{
    // Only what this unit of work adds: the chat is loaded without its transcript, EF inserts what is appended.
    private readonly List<ChatMessage> _messages = [];

    private Chat() { }

    public Chat(Guid buyerId, string culture, Guid? orderId, TicketCategory? skill, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7();
        BuyerId = buyerId;
        Culture = culture;
        OrderId = orderId;
        Skill = skill;
        Status = ChatStatus.Queued;
        CreatedAt = now;
        QueuedAt = now;
        LastActivityAt = now;
        Raise(new ChatChanged(this));
    }

    public Guid Id { get; private set; }
    public Guid BuyerId { get; private set; }
    /// <summary>The buyer's language when they started: replies and templates follow it.</summary>
    public string Culture { get; private set; } = "";
    /// <summary>The order the buyer came from; its keys travel with the chat to the agent's panel.</summary>
    public Guid? OrderId { get; private set; }
    /// <summary>The skill routing asks for; null when any agent will do.</summary>
    public TicketCategory? Skill { get; private set; }
    public ChatStatus Status { get; private set; }
    /// <summary>Who has the chat (or is being offered it).</summary>
    public Guid? AgentId { get; private set; }
    public DateTimeOffset? OfferedAt { get; private set; }
    /// <summary>Agents who let an offer of this chat lapse: it is not offered to them again.</summary>
    public List<Guid> PassedOver { get; private set; } = [];
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>Its place in the queue (a transferred chat keeps its place).</summary>
    public DateTimeOffset QueuedAt { get; private set; }
    /// <summary>When a person first took it: time to a person is this minus <see cref="CreatedAt"/>.</summary>
    public DateTimeOffset? AcceptedAt { get; private set; }
    public DateTimeOffset? EndedAt { get; private set; }
    /// <summary>The buyer left before anybody took the chat.</summary>
    public bool Abandoned { get; private set; }
    /// <summary>The ticket the chat became (left as a message, or its transcript turned into one).</summary>
    public Guid? TicketId { get; private set; }
    public int? Rating { get; private set; }
    public string? RatingComment { get; private set; }
    /// <summary>The number of the last message; messages are numbered 1, 2, … per chat.</summary>
    public int LastSeq { get; private set; }
    public int BuyerReadSeq { get; private set; }
    public int AgentReadSeq { get; private set; }
    public DateTimeOffset LastActivityAt { get; private set; }
    /// <summary>When this chat's wait passed the shop's target while it waited; set once (supervisors' queue alert).</summary>
    public DateTimeOffset? WaitAlertedAt { get; private set; }

    public IReadOnlyList<ChatMessage> NewMessages => _messages;

    public bool IsWaiting => Status is ChatStatus.Queued or ChatStatus.Offered;

    public bool IsOpen => Status is ChatStatus.Queued or ChatStatus.Offered or ChatStatus.Active;

    /// <summary>
    /// A message from the buyer, or from staff (an answer, or an internal note the buyer never sees). Staff write in
    /// a chat they have; a supervisor may join anybody's.
    /// </summary>
    public ChatMessage Post(ChatAuthor author, Guid authorId, string body, DateTimeOffset now, Guid? attachmentId = null, bool supervisor = false)
    {
        if (!IsOpen) throw new RuleBrokenException(ErrorCodes.InvalidState, "Chats.Ended");
        if (author == ChatAuthor.System) throw new ArgumentOutOfRangeException(nameof(author));
        if (author == ChatAuthor.Buyer && authorId != BuyerId) throw new RuleBrokenException(ErrorCodes.Forbidden, "Chats.NotYours");
        if (author is ChatAuthor.Agent or ChatAuthor.Note)
        {
            if (Status != ChatStatus.Active) throw new RuleBrokenException(ErrorCodes.InvalidState, "Chats.AcceptFirst");
            if (authorId != AgentId && !supervisor) throw new RuleBrokenException(ErrorCodes.Forbidden, "Chats.OtherAgents");
        }
        var message = new ChatMessage(Id, ++LastSeq, author, authorId, body.Trim(), attachmentId, now);
        _messages.Add(message);
        LastActivityAt = now;
        if (author == ChatAuthor.Buyer) BuyerReadSeq = LastSeq;
        else if (author is ChatAuthor.Agent) AgentReadSeq = LastSeq;
        Raise(new ChatMessagePosted(this, message));
        return message;
    }

    /// <summary>Routing chose <paramref name="agentId"/>: the chat is theirs to accept until the offer lapses.</summary>
    public void OfferTo(Guid agentId, DateTimeOffset now)
    {
        if (Status != ChatStatus.Queued) throw new RuleBrokenException(ErrorCodes.InvalidState, "Chats.NotWaiting");
        Status = ChatStatus.Offered;
        AgentId = agentId;
        OfferedAt = now;
        Raise(new ChatWasOffered(this, agentId));
        Raise(new ChatChanged(this));
    }

    /// <summary>The offer was not taken in time: the agent is passed over and the chat waits for the next one. False when it was not due.</summary>
    public bool LapseOffer(DateTimeOffset now, TimeSpan timeout)
    {
        if (Status != ChatStatus.Offered || OfferedAt is not { } offered || now - offered < timeout) return false;
        if (AgentId is { } agent && !PassedOver.Contains(agent)) PassedOver = [.. PassedOver, agent];
        Status = ChatStatus.Queued;
        AgentId = null;
        OfferedAt = null;
        Raise(new ChatChanged(this));
        return true;
    }

    public void Accept(Guid agentId, string agentName, DateTimeOffset now)
    {
        if (Status != ChatStatus.Offered || AgentId != agentId)
            throw new RuleBrokenException(ErrorCodes.InvalidState, "Chats.OfferGone");
        Status = ChatStatus.Active;
        AcceptedAt ??= now;
        OfferedAt = null;
        System(ChatSystemNote.AgentJoined, agentName, now);
        Raise(new ChatChanged(this));
    }

    /// <summary>A supervisor takes the chat over (from an agent, or straight from the queue).</summary>
    public void TakeOver(Guid supervisorId, string supervisorName, DateTimeOffset now)
    {
        if (!IsOpen) throw new RuleBrokenException(ErrorCodes.InvalidState, "Chats.Ended");
        if (Status == ChatStatus.Active && AgentId == supervisorId) return;
        AgentId = supervisorId;
        Status = ChatStatus.Active;
        AcceptedAt ??= now;
        OfferedAt = null;
        System(ChatSystemNote.AgentJoined, supervisorName, now);
        Raise(new ChatChanged(this));
    }

    /// <summary>
    /// The agent hands the chat on: to a named agent (offered to them at once) or to a skill (back in the queue, in
    /// its old place). The buyer is told they are being transferred.
    /// </summary>
    public void Transfer(Guid byAgentId, Guid? toAgentId, TicketCategory? toSkill, DateTimeOffset now)
    {
        if (Status != ChatStatus.Active || AgentId != byAgentId)
            throw new RuleBrokenException(ErrorCodes.InvalidState, "Chats.TransferNotYours");
        if (toAgentId == byAgentId || toAgentId == BuyerId) throw new RuleBrokenException(ErrorCodes.InvalidState, "Chats.TransferSelf");
        if (toSkill is not null) Skill = toSkill;
        if (!PassedOver.Contains(byAgentId)) PassedOver = [.. PassedOver, byAgentId];
        System(ChatSystemNote.Transferred, null, now);
        Status = ChatStatus.Queued;
        AgentId = null;
        if (toAgentId is { } next) OfferTo(next, now);
        else Raise(new ChatChanged(this));
    }

    /// <summary>
    /// Either side ends the chat. A buyer who leaves before anybody took it abandoned it (counted on the
    /// dashboard). Ending twice is harmless.
    /// </summary>
    public void End(ChatAuthor by, DateTimeOffset now)
    {
        if (!IsOpen) return;
        Abandoned = by == ChatAuthor.Buyer && IsWaiting;
        Status = ChatStatus.Ended;
        EndedAt = now;
        OfferedAt = null;
        if (Abandoned) AgentId = null;
        System(by == ChatAuthor.Buyer ? ChatSystemNote.BuyerLeft : ChatSystemNote.AgentEnded, null, now);
        Raise(new ChatChanged(this));
    }

    /// <summary>Nobody on duty, or the buyer chose not to wait: the chat became <paramref name="ticketId"/>, answered under the ticket SLA.</summary>
    public void LeaveAsTicket(Guid ticketId, string ticketNo, DateTimeOffset now)
    {
        MayLeaveAsTicket();
        TicketId = ticketId;
        Status = ChatStatus.Offline;
        EndedAt = now;
        AgentId = null;
        OfferedAt = null;
        System(ChatSystemNote.LeftAsTicket, ticketNo, now);
        Raise(new ChatChanged(this));
    }

    /// <summary>The transcript was turned into a ticket by the buyer or the agent; once.</summary>
    public void BecameTicket(Guid ticketId, string ticketNo, DateTimeOffset now)
    {
        MayBecomeTicket();
        TicketId = ticketId;
        System(ChatSystemNote.BecameTicket, ticketNo, now);
    }

    /// <summary>Refuses, before a ticket is filed, to leave a chat as a message unless it is waiting.</summary>
    public void MayLeaveAsTicket()
    {
        if (!IsWaiting) throw new RuleBrokenException(ErrorCodes.InvalidState, "Chats.LeaveNotWaiting");
    }

    /// <summary>Refuses, before a ticket is filed, a second ticket or one from a chat still waiting (that is left as a message).</summary>
    public void MayBecomeTicket()
    {
        if (TicketId is not null) throw new RuleBrokenException(ErrorCodes.InvalidState, "Chats.AlreadyTicket");
        if (IsWaiting) throw new RuleBrokenException(ErrorCodes.InvalidState, "Chats.WaitingLeaveInstead");
    }

    /// <summary>The buyer rates the person who helped them, once, after the chat.</summary>
    public void Rate(Guid buyerId, int score, string? comment, DateTimeOffset now)
    {
        if (buyerId != BuyerId) throw new RuleBrokenException(ErrorCodes.Forbidden, "Chats.NotYours");
        if (Status != ChatStatus.Ended || AcceptedAt is null)
            throw new RuleBrokenException(ErrorCodes.InvalidState, "Chats.RateWhenEnded");
        if (Rating is not null) throw new RuleBrokenException(ErrorCodes.InvalidState, "Chats.RatedAlready");
        if (score is < 1 or > 5) throw new RuleBrokenException(ErrorCodes.ValidationFailed, "BuyerTickets.ScoreRange");
        Rating = score;
        RatingComment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        LastActivityAt = now;
        Raise(new BuyerRatedChat(this, score));
    }

    /// <summary>
    /// The chat has waited past <paramref name="target"/>: it joins the queue's current alert (marked once). False when
    /// it is not waiting, not yet past the target, or marked already.
    /// </summary>
    public bool PassedWaitTarget(DateTimeOffset now, TimeSpan target)
    {
        if (!IsWaiting || WaitAlertedAt is not null || now - QueuedAt <= target) return false;
        WaitAlertedAt = now;
        return true;
    }

    /// <summary>One side has read up to message <paramref name="seq"/> (read receipts). Never moves back.</summary>
    public bool MarkRead(ChatAuthor side, int seq)
    {
        seq = Math.Min(seq, LastSeq);
        if (side == ChatAuthor.Buyer && seq > BuyerReadSeq) BuyerReadSeq = seq;
        else if (side == ChatAuthor.Agent && seq > AgentReadSeq) AgentReadSeq = seq;
        else return false;
        Raise(new ChatWasRead(this, side, seq));
        return true;
    }

    private void System(string note, string? detail, DateTimeOffset now)
    {
        var message = new ChatMessage(Id, ++LastSeq, ChatAuthor.System, null, detail is null ? note : note + ":" + detail, null, now);
        _messages.Add(message);
        LastActivityAt = now;
        Raise(new ChatMessagePosted(this, message));
    }
}
