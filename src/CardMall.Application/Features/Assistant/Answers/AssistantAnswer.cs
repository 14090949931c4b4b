using System.Globalization;
using CardMall.Application.Localization;
using CardMall.Domain.Assistant;

namespace CardMall.Application.Features.Assistant.Answers;

/// <summary>
/// The assistant's answer to one or more intents. Adding what the assistant can do is adding one of these:
/// the message handler only records the turn and picks the answer by intent.
/// </summary>
internal interface IAssistantAnswer
{
    IReadOnlyCollection<string> Intents { get; }

    /// <summary>Answers that read the buyer's orders or tickets: a visitor is asked to sign in first.</summary>
    bool NeedsSignIn { get; }

    Task<Answer> AnswerAsync(AssistantAsk ask, CancellationToken ct);
}

/// <summary>One message to answer: what it asks, who asks, and the conversation it belongs to (tracked, so answers may link it).</summary>
internal sealed record AssistantAsk(string Text, MessageUnderstanding Understanding, AssistantConversation Conversation, Guid? UserId)
{
    public CultureInfo Culture => Understanding.Culture;

    public string OrderNo => Understanding.OrderNo;

    public string TicketNo => Understanding.TicketNo;

    /// <summary>The signed-in buyer; only asked for by answers that need sign-in, which visitors never reach.</summary>
    public Guid BuyerId => UserId ?? throw new InvalidOperationException("This answer needs a signed-in buyer.");

    public string Say(string key, params object[] args) => Answer.Say(key, Culture, args);
}

/// <param name="Suggestions">Quick replies to offer (intent names); empty means the usual ones.</param>
internal sealed record Answer(string Reply, string? TicketNo, IReadOnlyList<string> Suggestions, Guid? ChatId = null)
{
    public static string Say(string key, CultureInfo culture, params object[] args) =>
        args.Length == 0 ? AppText.Get(key, culture) : string.Format(culture, AppText.Get(key, culture), args);
}

/// <summary>A reply that is the same for everyone: a greeting, the account-security advice, "I did not understand".</summary>
internal sealed class FixedAnswer(string intent, string textKey, params string[] suggestions) : IAssistantAnswer
{
    public IReadOnlyCollection<string> Intents { get; } = [intent];

    public bool NeedsSignIn => false;

    public Task<Answer> AnswerAsync(AssistantAsk ask, CancellationToken ct) => Task.FromResult(new Answer(ask.Say(textKey), null, suggestions));
}
