using CardMall.Domain.Common;

namespace CardMall.Domain.Chats;

public enum ChatStatus
{
    /// <summary>Waiting for routing to find a free agent.</summary>
    Queued,
    /// <summary>Offered to one agent, who has the offer timeout to accept it (the buyer still sees "waiting").</summary>
    Offered,
    Active,
    Ended,
    /// <summary>Nobody was on duty, or the buyer chose not to wait: the chat became a ticket.</summary>
    Offline,
}

public enum ChatAuthor
{
    Buyer,
    Agent,
    /// <summary>An internal note between staff; the buyer never sees it.</summary>
    Note,
    /// <summary>What the shop says about the chat itself (an agent joined, transferred, ended).</summary>
    System,
}

/// <summary>An agent's availability for live chat (tickets follow it too: away still takes tickets, offline takes nothing).</summary>
public enum AgentAvailability
{
    Offline,
    /// <summary>On duty for tickets, no new chats (a break, a long call); chats already taken go on.</summary>
    Away,
    Online,
}

/// <summary>The stable names of system messages (worded in the reader's language where shown; the detail follows a colon).</summary>
public static class ChatSystemNote
{
    public const string AgentJoined = "agent_joined";
    public const string Transferred = "transferred";
    public const string BuyerLeft = "buyer_left";
    public const string AgentEnded = "agent_ended";
    public const string LeftAsTicket = "left_as_ticket";
    public const string BecameTicket = "became_ticket";
}

/// <summary>One message of a chat, numbered within it; stored before anybody is told of it.</summary>
public sealed class ChatMessage
{
    public const int MaxLength = 2000;

    private ChatMessage() { }

    internal ChatMessage(Guid chatId, int seq, ChatAuthor author, Guid? authorId, string body, Guid? attachmentId, DateTimeOffset now)
    {
        ChatId = chatId;
        Seq = seq;
        Author = author;
        AuthorId = authorId;
        Body = body.Length > MaxLength ? body[..MaxLength] : body;
        AttachmentId = attachmentId;
        At = now;
    }

    public long Id { get; private set; }
    public Guid ChatId { get; private set; }
    public int Seq { get; private set; }
    public ChatAuthor Author { get; private set; }
    public Guid? AuthorId { get; private set; }
    public string Body { get; private set; } = "";
    /// <summary>An image the message carries (evidence rules and the daily quota apply, as on tickets).</summary>
    public Guid? AttachmentId { get; private set; }
    public DateTimeOffset At { get; private set; }
}

/// <summary>An image sent in a chat (PNG, JPEG or WebP recognised by its bytes, at most 5 MB).</summary>
public sealed class ChatAttachment
{
    private ChatAttachment() { }

    public ChatAttachment(Guid chatId, string fileName, string contentType, byte[] content, Guid uploadedBy, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7();
        ChatId = chatId;
        FileName = fileName;
        ContentType = contentType;
        Content = content;
        SizeBytes = content.Length;
        UploadedBy = uploadedBy;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public Guid ChatId { get; private set; }
    public string FileName { get; private set; } = "";
    public string ContentType { get; private set; } = "";
    public int SizeBytes { get; private set; }
    public byte[] Content { get; private set; } = [];
    public Guid UploadedBy { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
}

// What a chat tells the rest of the shop; the live line (SignalR) hears of them after the commit.

/// <summary>The chat's status, agent or place in the queue changed.</summary>
public sealed record ChatChanged(Chat Chat) : IDomainEvent;

public sealed record ChatMessagePosted(Chat Chat, ChatMessage Message) : IDomainEvent;

public sealed record ChatWasOffered(Chat Chat, Guid AgentId) : IDomainEvent;

public sealed record ChatWasRead(Chat Chat, ChatAuthor Side, int Seq) : IDomainEvent;

public sealed record BuyerRatedChat(Chat Chat, int Score) : IDomainEvent;
