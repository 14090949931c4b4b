using CardMall.Application.Abstractions;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Assistant.Answers;

/// <summary>"Can I get a refund?": the refund policy the asker agreed to with their latest order, else the general one.</summary>
internal sealed class RefundPolicyAnswer(ICardMallDb db, BuyerOrders orders) : IAssistantAnswer
{
    public IReadOnlyCollection<string> Intents { get; } = [Assistant.Intents.RefundPolicy];

    public bool NeedsSignIn => false;

    public async Task<Answer> AnswerAsync(AssistantAsk ask, CancellationToken ct)
    {
        var order = ask.UserId is null ? null : await orders.LatestAsync(ask, ct);
        if (order is not null)
        {
            var english = ask.Culture.Name.StartsWith("en", StringComparison.Ordinal);
            // The notices version the order was bought under, not today's: that is what the buyer agreed to.
            var policy = await (from o in db.Orders
                                join n in db.ProductNotices on new { o.ProductId, Version = o.NoticesVersion } equals new { n.ProductId, n.Version }
                                where o.No == order.No
                                select english ? n.RefundPolicyEn : n.RefundPolicyZh).FirstOrDefaultAsync(ct);
            if (!string.IsNullOrWhiteSpace(policy))
                return new Answer(ask.Say("Assistant.Refund.Product", order.Product(ask.Culture), policy), null, [Assistant.Intents.HumanAgent]);
        }
        return new Answer(ask.Say("Assistant.Refund.General"), null, [Assistant.Intents.HumanAgent]);
    }
}
