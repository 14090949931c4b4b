namespace CardMall.Domain.Assistant;

/// <summary>
/// One chat with the self-service assistant (智能客服): who (a signed-in user, or a visitor), in which
/// language, and how it ended — answered by the assistant alone (deflected), or handed to a person
/// through a ticket. The turns are its transcript.
/// </summary>
public sealed class AssistantConversation
{
    private AssistantConversation() { }

    public AssistantConversation(Guid? userId, string culture, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7();
        UserId = userId;
        Culture = culture;
        StartedAt = now;
        LastMessageAt = now;
    }

    public Guid Id { get; private set; }
    public Guid? UserId { get; private set; }
    public string Culture { get; private set; } = "";
    public DateTimeOffset StartedAt { get; private set; }
    public DateTimeOffset LastMessageAt { get; private set; }

    /// <summary>The ticket this conversation opened or joined; later hand-offs join the same one.</summary>
    public Guid? TicketId { get; private set; }

    /// <summary>The buyer asked for a person (转人工) at some point.</summary>
    public bool AskedForHuman { get; private set; }

    public int Turns { get; private set; }

    public void Touch(DateTimeOffset now)
    {
        LastMessageAt = now;
        Turns++;
    }

    /// <summary>The buyer asked for a person and was put through to live chat (no ticket needed).</summary>
    public void PutThroughToPerson() => AskedForHuman = true;

    public void HandOver(Guid ticketId, bool askedForHuman)
    {
        TicketId ??= ticketId;
        AskedForHuman |= askedForHuman;
    }
}

/// <summary>One message of a conversation, the buyer's or the assistant's, with what the model understood.</summary>
public sealed class AssistantTurn
{
    private AssistantTurn() { }

    public AssistantTurn(Guid conversationId, bool fromBuyer, string text, string? intent, double? confidence, DateTimeOffset now)
    {
        ConversationId = conversationId;
        FromBuyer = fromBuyer;
        Text = text.Length > 4000 ? text[..4000] : text;
        Intent = intent;
        Confidence = confidence;
        At = now;
    }

    public long Id { get; private set; }
    public Guid ConversationId { get; private set; }
    public bool FromBuyer { get; private set; }
    public string Text { get; private set; } = "";
    public string? Intent { get; private set; }
    public double? Confidence { get; private set; }
    public DateTimeOffset At { get; private set; }
}
