using CardMall.Application.Abstractions;
using CardMall.Domain.Common;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Assistant.Answers;

/// <summary>"A person, please": the conversation's ticket gets the transcript (a new one is opened if it has none) and the buyer is told when an agent answers.</summary>
internal sealed class HumanAgentAnswer(ICardMallDb db, ConversationTicket tickets, IMediator mediator) : IAssistantAnswer
{
    public IReadOnlyCollection<string> Intents { get; } = [Assistant.Intents.HumanAgent];

    public bool NeedsSignIn => true;

    public async Task<Answer> AnswerAsync(AssistantAsk ask, CancellationToken ct)
    {
        ConversationTicket.Filed ticket;
        if (ask.Conversation.TicketId is { } existing && await db.Tickets.AsNoTracking().Where(t => t.Id == existing).Select(t => t.No).FirstOrDefaultAsync(ct) is { } no)
            ticket = await tickets.ReplyAsync(ask.Conversation, no, ask.Say("Assistant.HandOver.Again"), askedForHuman: true, ct);
        else
        {
            var filed = await mediator.Send(new HandOverConversation(ask.Conversation.Id, ask.OrderNo, await tickets.TranscriptAsync(ask.Conversation, ct)), ct);
            ticket = await db.Tickets.AsNoTracking().Where(t => t.No == filed.TicketNo)
                .Select(t => new ConversationTicket.Filed(t.Id, t.No, t.FirstResponseDueAt)).SingleAsync(ct);
        }
        return new Answer(ask.Say("Assistant.HandOver", ticket.No, ShopTime.Minutes(ticket.FirstResponseDueAt), "/Tickets/" + ticket.No), ticket.No,
            [Assistant.Intents.TicketStatus]);
    }
}
