using CardMall.Application.Features.Tickets;
using CardMall.Domain.Tickets;
using MediatR;

namespace CardMall.Application.Features.Assistant.Answers;

/// <summary>
/// "My key never came": orders are paid and delivered in one transaction, so a paid order always has its keys —
/// the buyer is shown where they are, and a ticket with the conversation is opened all the same: a buyer who
/// says the key never came is owed a person's look (a wrong account, a key that shows nothing).
/// </summary>
internal sealed class NotReceivedAnswer(BuyerOrders orders, OpenTicketForKeys openTickets, ConversationTicket tickets, IMediator mediator) : IAssistantAnswer
{
    public IReadOnlyCollection<string> Intents { get; } = [Assistant.Intents.NotReceived];

    public bool NeedsSignIn => true;

    public async Task<Answer> AnswerAsync(AssistantAsk ask, CancellationToken ct)
    {
        var order = await orders.LatestAsync(ask, ct);
        if (order is null) return new Answer(ask.Say("Assistant.NotReceived.NoOrder"), null, [Assistant.Intents.HumanAgent]);
        // One open ticket per key: when the order's keys already have one, the conversation joins it.
        var ticket = await openTickets.FindAsync(ask.BuyerId, order.Keys.Select(k => k.ItemId).ToList(), ct) is { } open
            ? await tickets.ReplyAsync(ask.Conversation, open, lead: null, askedForHuman: false, ct)
            : await tickets.LinkAsync(ask.Conversation, (await mediator.Send(new CreateTicket(order.No, [], TicketCategory.NotReceived,
                await tickets.TranscriptAsync(ask.Conversation, ct), null, [], Channel: "assistant"), ct)).TicketNo, askedForHuman: false, ct);
        return new Answer(ask.Say("Assistant.NotReceived.Delivered", order.No, order.Keys.Count, "/Orders/" + order.No, ticket.No,
            Domain.Common.ShopTime.Minutes(ticket.FirstResponseDueAt)), ticket.No, [Assistant.Intents.KeyLookup, Assistant.Intents.TicketStatus]);
    }
}
