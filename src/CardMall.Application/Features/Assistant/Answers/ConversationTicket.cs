using CardMall.Application.Abstractions;
using CardMall.Application.Features.Tickets;
using CardMall.Domain.Assistant;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Assistant.Answers;

/// <summary>
/// How a conversation reaches a person: its transcript goes onto a ticket (a new one, or the reply on one already
/// open) and the conversation remembers the ticket, so the buyer never has to repeat themselves.
/// </summary>
internal sealed class ConversationTicket(ICardMallDb db, IMediator mediator)
{
    public sealed record Filed(Guid Id, string No, DateTimeOffset FirstResponseDueAt);

    public Task<string> TranscriptAsync(AssistantConversation conversation, CancellationToken ct) =>
        AssistantTranscript.WriteAsync(db, conversation.Id, ct);

    /// <summary>The transcript (after <paramref name="lead"/>, when given) as the buyer's reply on an open ticket.</summary>
    public async Task<Filed> ReplyAsync(AssistantConversation conversation, string ticketNo, string? lead, bool askedForHuman, CancellationToken ct)
    {
        var body = (lead is null ? "" : lead + "\n") + await TranscriptAsync(conversation, ct);
        if (body.Length > ReplyToTicketValidator.MaxBody) body = body[..ReplyToTicketValidator.MaxBody];
        await mediator.Send(new ReplyToTicket(ticketNo, body, []), ct);
        return await LinkAsync(conversation, ticketNo, askedForHuman, ct);
    }

    /// <summary>The conversation is tracked by this request's context since it was read or added.</summary>
    public async Task<Filed> LinkAsync(AssistantConversation conversation, string ticketNo, bool askedForHuman, CancellationToken ct)
    {
        var ticket = await db.Tickets.AsNoTracking().Where(t => t.No == ticketNo).Select(t => new Filed(t.Id, t.No, t.FirstResponseDueAt)).SingleAsync(ct);
        conversation.HandOver(ticket.Id, askedForHuman);
        await db.SaveChangesAsync(ct);
        return ticket;
    }
}
