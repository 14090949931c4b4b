using CardMall.Application.Abstractions;
using CardMall.Application.Features.Chats;
using CardMall.Domain.Common;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Assistant.Answers;

/// <summary>
/// "A person, please". While an agent is online the buyer is put through to live chat (在线客服) with the
/// conversation so far, so they need not repeat themselves, and told their place in the queue. With nobody online,
/// the conversation's ticket gets the transcript (a new one is opened if it has none) and the buyer is told when an
/// agent answers. Either way it always works.
/// </summary>
internal sealed class HumanAgentAnswer(ICardMallDb db, ConversationTicket tickets, ChatQueue queue, TimeProvider clock, IMediator mediator) : IAssistantAnswer
{
    public IReadOnlyCollection<string> Intents { get; } = [Assistant.Intents.HumanAgent];

    public bool NeedsSignIn => true;

    public async Task<Answer> AnswerAsync(AssistantAsk ask, CancellationToken ct)
    {
        if ((await queue.CapacityAsync(clock.GetUtcNow(), ct)).AgentsOnline > 0)
        {
            var transcript = await tickets.TranscriptAsync(ask.Conversation, ct);
            var text = transcript.Length > Domain.Chats.ChatMessage.MaxLength ? transcript[^Domain.Chats.ChatMessage.MaxLength..] : transcript;
            var chat = await mediator.Send(new StartChat(text, ask.OrderNo.Length > 0 ? ask.OrderNo : null), ct);
            if (chat.Status != "offline")
            {
                ask.Conversation.PutThroughToPerson();
                return new Answer(ask.Say("Assistant.LiveChat", chat.Position ?? 1, chat.EstimatedWaitSeconds ?? 0, ChatLinks.Buyer(chat.ChatId)), null, [], chat.ChatId);
            }
        }

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
