using System.Globalization;
using System.Text.RegularExpressions;
using CardMall.Application.Localization;

namespace CardMall.Application.Features.Assistant;

/// <summary>What a buyer's message asks, in which language, and which order or ticket it names.</summary>
public interface IIntentClassifier
{
    MessageUnderstanding Understand(string text);
}

/// <param name="Intent">The intent to answer; <see cref="Clarify"/> decides whether to answer it or ask.</param>
/// <param name="Likely">The runners-up, best first, offered as quick replies when the assistant asks.</param>
/// <param name="OrderNo">The order number the message names (upper case), or empty.</param>
/// <param name="TicketNo">The ticket number the message names (upper case), or empty.</param>
public sealed record MessageUnderstanding(
    string Intent, double Confidence, bool Clarify, IReadOnlyList<string> Likely, string OrderNo, string TicketNo, CultureInfo Culture);

/// <summary>
/// The intent model (ADR 0015) plus the few rules it must never overrule: asking for a person always means it,
/// and a bare order or ticket number the model cannot place is a question about that order or ticket.
/// </summary>
internal sealed partial class IntentClassifier(IntentModel model) : IIntentClassifier
{
    /// <summary>Below this probability the assistant asks which of the likely intents was meant instead of guessing.</summary>
    public const double ClarifyBelow = 0.45;

    public MessageUnderstanding Understand(string text)
    {
        var orderNo = OrderNo().Match(text).Value.ToUpperInvariant();
        var ticketNo = TicketNo().Match(text).Value.ToUpperInvariant();
        // Order and ticket numbers are facts to look up, not words: the model reads the message without them.
        var guess = model.Classify(TicketNo().Replace(OrderNo().Replace(text, " "), " "));
        var (intent, confidence) = (guess.Intent, guess.Confidence);
        // A number with no words the model can place (a bare "CM2026…") asks about what it names.
        var unplaced = confidence < ClarifyBelow || intent is Intents.Other;
        if (HumanWords().IsMatch(text)) (intent, confidence) = (Intents.HumanAgent, 1.0);
        else if (unplaced && ticketNo.Length > 0) (intent, confidence) = (Intents.TicketStatus, 1.0);
        else if (unplaced && orderNo.Length > 0) (intent, confidence) = (Intents.KeyLookup, 1.0);
        // A hello needs no clarifying question, however unsure the model is about it.
        var clarify = confidence < ClarifyBelow && intent is not Intents.Greeting;
        return new MessageUnderstanding(intent, confidence, clarify, guess.Ranked.Take(3).Select(r => r.Intent).ToList(), orderNo, ticketNo, WrittenIn(text));
    }

    private static CultureInfo WrittenIn(string text) =>
        text.Any(ch => ch >= '\u4E00' && ch <= '\u9FFF') ? VisitorLanguage.Chinese
        : text.Any(char.IsLetter) ? VisitorLanguage.English : VisitorLanguage.Of(CultureInfo.CurrentUICulture.Name);

    [GeneratedRegex(@"CM\d{10,30}", RegexOptions.IgnoreCase)]
    private static partial Regex OrderNo();

    [GeneratedRegex(@"TK\d{10,30}", RegexOptions.IgnoreCase)]
    private static partial Regex TicketNo();

    [GeneratedRegex(@"转人工|人工客服|找人工|真人客服|human|real person|live agent|talk to (an? )?(agent|person)", RegexOptions.IgnoreCase)]
    private static partial Regex HumanWords();
}
