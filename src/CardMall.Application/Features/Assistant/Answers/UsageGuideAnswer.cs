using CardMall.Application.Features.KnowledgeBase;
using MediatR;

namespace CardMall.Application.Features.Assistant.Answers;

/// <summary>"How do I use it?": the tutorial for the product of the asker's latest order, else the help centre.</summary>
internal sealed class UsageGuideAnswer(BuyerOrders orders, IMediator mediator) : IAssistantAnswer
{
    public IReadOnlyCollection<string> Intents { get; } = [Assistant.Intents.UsageGuide];

    public bool NeedsSignIn => false;

    public async Task<Answer> AnswerAsync(AssistantAsk ask, CancellationToken ct)
    {
        var order = ask.UserId is null ? null : await orders.LatestAsync(ask, ct);
        if (order is not null && await mediator.Send(new FindTutorial(order.Sku), ct) is { } tutorial)
            return new Answer(ask.Say("Assistant.Usage.Tutorial", order.Product(ask.Culture), "/Help/" + tutorial.Slug), null, [Assistant.Intents.KeyInvalid]);
        return new Answer(ask.Say("Assistant.Usage.HelpCentre", "/Help"), null, [Assistant.Intents.KeyLookup]);
    }
}
