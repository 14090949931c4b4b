namespace CardMall.Application.Features.Chats;

/// <summary>Live chat settings (section <c>CardMall:Chat</c>).</summary>
public sealed class ChatOptions
{
    public const string Section = "CardMall:Chat";

    /// <summary>An offer not accepted within this goes to the next agent (the trade's 30 秒人工接入).</summary>
    public TimeSpan OfferTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The target time to a person: supervisors are alerted when the longest wait passes it.</summary>
    public TimeSpan WaitTarget { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>When the estimated wait passes this, the buyer is offered to leave a message instead of waiting.</summary>
    public TimeSpan LeaveMessageAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a chat takes an agent when there is no history yet to measure it by.</summary>
    public TimeSpan DefaultHandleTime { get; set; } = TimeSpan.FromMinutes(4);

    /// <summary>How often the dispatcher looks at the queue (offers, lapsed offers, positions).</summary>
    public TimeSpan PassInterval { get; set; } = TimeSpan.FromSeconds(1);
}
