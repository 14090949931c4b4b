using CardMall.Application.Localization;
using CardMall.Domain.Chats;

namespace CardMall.Application.Features.Chats;

/// <summary>One message as clients see it. <c>author</c> is <c>buyer</c>, <c>agent</c>, <c>note</c> (staff only) or <c>system</c>.</summary>
public sealed record ChatMessageView(Guid ChatId, int Seq, string Author, string? AuthorName, string Body, Guid? AttachmentId, DateTimeOffset At);

/// <summary>
/// Where a chat stands, as the buyer and the live line see it: <c>status</c> is the API's (<c>queued</c> also while an
/// offer is out), <c>position</c> and <c>estimatedWaitSeconds</c> are set while it waits, <c>mayLeaveMessage</c> when the
/// wait is past the shop's threshold (or nobody is online to take it).
/// </summary>
public sealed record ChatState(
    Guid ChatId, Guid BuyerId, string Status, Guid? AgentId, string? Agent, int? Position, int? EstimatedWaitSeconds, bool MayLeaveMessage,
    string? TicketNo, int? Rating, int BuyerReadSeq, int AgentReadSeq);

public static class ChatWording
{
    /// <summary>The API's status word.</summary>
    public static string Status(ChatStatus status) => status switch
    {
        ChatStatus.Queued or ChatStatus.Offered => "queued",
        ChatStatus.Active => "active",
        ChatStatus.Ended => "ended",
        _ => "offline",
    };

    public static string Author(ChatAuthor author) => author switch
    {
        ChatAuthor.Buyer => "buyer",
        ChatAuthor.Agent => "agent",
        ChatAuthor.Note => "note",
        _ => "system",
    };

    /// <summary>A message's text in the current UI language: system notes are stored as stable names and worded here.</summary>
    public static string Body(ChatAuthor author, string body)
    {
        if (author != ChatAuthor.System) return body;
        var colon = body.IndexOf(':', StringComparison.Ordinal);
        var (note, detail) = colon < 0 ? (body, "") : (body[..colon], body[(colon + 1)..]);
        return AppText.Format("Chats.System." + note, detail);
    }

    public static ChatMessageView View(ChatMessage m, string? authorName) =>
        new(m.ChatId, m.Seq, Author(m.Author), authorName, Body(m.Author, m.Body), m.AttachmentId, m.At);
}
