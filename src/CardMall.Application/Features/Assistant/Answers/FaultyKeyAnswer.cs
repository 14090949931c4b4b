using CardMall.Application.Abstractions;
using CardMall.Application.Features.Tickets;
using CardMall.Application.Features.Verification;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using CardMall.Domain.Verification;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Assistant.Answers;

/// <summary>
/// "My key doesn't work / was already used": the ticket is opened with the transcript and the keys are checked with
/// the supplier now, and the buyer is told what came of it. Keys already on an open ticket are not complained about
/// twice: the conversation joins that ticket instead.
/// </summary>
internal sealed class FaultyKeyAnswer(ICardMallDb db, BuyerOrders orders, OpenTicketForKeys openTickets, ConversationTicket tickets, IMediator mediator)
    : IAssistantAnswer
{
    public IReadOnlyCollection<string> Intents { get; } = [Assistant.Intents.KeyInvalid, Assistant.Intents.KeyAlreadyUsed];

    public bool NeedsSignIn => true;

    public async Task<Answer> AnswerAsync(AssistantAsk ask, CancellationToken ct)
    {
        var order = await orders.LatestAsync(ask, ct);
        if (order is null) return new Answer(ask.Say(ask.OrderNo.Length > 0 ? "Assistant.OrderNotFound" : "Assistant.NoOrders", ask.OrderNo), null, []);
        var keys = order.Keys.Where(k => k.State is CardKeyState.Sold or CardKeyState.Redeemed).Select(k => k.ItemId).ToList();
        if (keys.Count == 0) return new Answer(ask.Say("Assistant.FaultyKey.NothingToCheck", order.No), null, [Assistant.Intents.HumanAgent]);

        var open = await openTickets.FindEachAsync(ask.BuyerId, keys, ct);
        keys = keys.Where(k => !open.ContainsKey(k)).ToList();
        if (keys.Count == 0)
        {
            var joined = await tickets.ReplyAsync(ask.Conversation, open.Values.Order(StringComparer.Ordinal).First(), ask.Say("Assistant.FaultyKey.JoinedNote"),
                askedForHuman: false, ct);
            return new Answer(ask.Say("Assistant.FaultyKey.Joined", joined.No, ShopTime.Minutes(joined.FirstResponseDueAt), "/Tickets/" + joined.No), joined.No,
                [Assistant.Intents.TicketStatus, Assistant.Intents.HumanAgent]);
        }

        var category = ask.Understanding.Intent == Assistant.Intents.KeyAlreadyUsed ? TicketCategory.KeyAlreadyUsed : TicketCategory.KeyInvalid;
        var filed = await mediator.Send(new CreateTicket(order.No, keys, category, await tickets.TranscriptAsync(ask.Conversation, ct), null, [],
            Channel: "assistant"), ct);
        var ticket = await tickets.LinkAsync(ask.Conversation, filed.TicketNo, askedForHuman: false, ct);

        // Each check is its own command: a slow supplier never holds the ticket's rows.
        var checks = await db.KeyVerifications.Where(v => v.TicketId == ticket.Id && v.Status == VerificationStatus.Pending).Select(v => v.Id).ToListAsync(ct);
        var outcomes = new List<VerificationOutcome>();
        foreach (var check in checks)
            if ((await mediator.Send(new RunVerification(check), ct)).Outcome is { } outcome) outcomes.Add(outcome);

        var reply = outcomes.Count > 0 && outcomes.All(o => o == VerificationOutcome.Replaced) ? "Assistant.FaultyKey.Replaced"
            : outcomes.Count > 0 && outcomes.All(o => o is VerificationOutcome.Replaced or VerificationOutcome.GuidanceSent) ? "Assistant.FaultyKey.Guidance"
            : "Assistant.FaultyKey.Person";
        // Read after the checks: a replacement may have answered the ticket and moved its clock.
        var due = await db.Tickets.Where(t => t.Id == ticket.Id).Select(t => t.FirstResponseDueAt).SingleAsync(ct);
        return new Answer(ask.Say(reply, filed.TicketNo, order.No, ShopTime.Minutes(due), "/Tickets/" + filed.TicketNo), filed.TicketNo,
            [Assistant.Intents.TicketStatus, Assistant.Intents.HumanAgent]);
    }
}
