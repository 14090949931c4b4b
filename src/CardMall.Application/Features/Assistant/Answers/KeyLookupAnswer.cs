using System.Text;
using CardMall.Domain.Common;

namespace CardMall.Application.Features.Assistant.Answers;

/// <summary>"Where are my keys?": the asker's latest three orders (or the one named) with their keys masked and where to reveal them.</summary>
internal sealed class KeyLookupAnswer(BuyerOrders orders) : IAssistantAnswer
{
    public IReadOnlyCollection<string> Intents { get; } = [Assistant.Intents.KeyLookup];

    public bool NeedsSignIn => true;

    public async Task<Answer> AnswerAsync(AssistantAsk ask, CancellationToken ct)
    {
        var mine = await orders.ListAsync(ask, 3, ct);
        if (mine.Count == 0) return new Answer(ask.Say(ask.OrderNo.Length > 0 ? "Assistant.OrderNotFound" : "Assistant.NoOrders", ask.OrderNo), null, []);
        var sb = new StringBuilder(ask.Say("Assistant.KeyLookup.Intro"));
        foreach (var o in mine)
        {
            sb.Append('\n').Append(ask.Say("Assistant.KeyLookup.Order", o.No, o.Product(ask.Culture), ShopTime.Minutes(o.CreatedAt), "/Orders/" + o.No));
            foreach (var k in o.Keys) sb.Append("\n  ").Append(k.Masked).Append(" · ").Append(ask.Say("Assistant.KeyState." + k.State));
        }
        sb.Append('\n').Append(ask.Say("Assistant.KeyLookup.Reveal"));
        return new Answer(sb.ToString(), null, [Assistant.Intents.UsageGuide, Assistant.Intents.KeyInvalid]);
    }
}
