using System.Text;
using CardMall.Application.Abstractions;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Assistant.Answers;

/// <summary>"Where is my ticket?": the ticket named, or the asker's three latest open ones, each with the time it is promised by.</summary>
internal sealed class TicketStatusAnswer(ICardMallDb db) : IAssistantAnswer
{
    public IReadOnlyCollection<string> Intents { get; } = [Assistant.Intents.TicketStatus];

    public bool NeedsSignIn => true;

    public async Task<Answer> AnswerAsync(AssistantAsk ask, CancellationToken ct)
    {
        var query = db.Tickets.AsNoTracking().Where(t => t.BuyerId == ask.BuyerId);
        var tickets = ask.TicketNo.Length > 0
            ? await query.Where(t => t.No == ask.TicketNo).ToListAsync(ct)
            : await query.Where(t => TicketLifecycle.ActiveStatuses.Contains(t.Status)).OrderByDescending(t => t.CreatedAt).Take(3).ToListAsync(ct);
        if (tickets.Count == 0)
            return new Answer(ask.Say(ask.TicketNo.Length > 0 ? "Assistant.TicketNotFound" : "Assistant.NoOpenTickets", ask.TicketNo), null,
                [Assistant.Intents.HumanAgent]);
        var sb = new StringBuilder(ask.Say("Assistant.Tickets.Intro"));
        foreach (var t in tickets)
        {
            var promise = t.FirstRespondedAt is null && t.IsActive ? ask.Say("Assistant.Tickets.ReplyBy", ShopTime.Minutes(t.FirstResponseDueAt))
                : t.IsActive ? ask.Say("Assistant.Tickets.ResolveBy", ShopTime.Minutes(t.ResolutionDueAt)) : "";
            sb.Append('\n').Append(ask.Say("Assistant.Tickets.Line", t.No, ask.Say("Assistant.TicketStatus." + t.Status), promise, "/Tickets/" + t.No));
        }
        return new Answer(sb.ToString(), null, [Assistant.Intents.HumanAgent]);
    }
}
