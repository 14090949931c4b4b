using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CardMall.Application.Abstractions;
using CardMall.Application.Features.KnowledgeBase;
using CardMall.Application.Features.Tickets;
using CardMall.Application.Features.Verification;
using CardMall.Application.Localization;
using CardMall.Domain.Assistant;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using CardMall.Domain.Verification;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Assistant;

/// <summary>
/// One message to the 7×24 assistant (智能客服): understood by the intent model, answered from the sender's
/// own data only, and stored with the answer as the conversation's transcript. A faulty key is checked with
/// the supplier at once and the ticket opened with the transcript; "talk to a human" always opens — or joins
/// — the conversation's ticket and says when an agent will answer. Visitors who are not signed in get the
/// general answers and are asked to sign in for anything about their orders.
/// <para>
/// Not a single transaction on purpose: filing the ticket and checking each key are their own commands
/// (each all-or-nothing), so a slow supplier never holds the ticket's rows.
/// </para>
/// </summary>
public sealed partial record SendAssistantMessage(string Text, Guid? ConversationId) : IRequest<AssistantReply>
{
    public const int MaxLength = 1000;

    /// <summary>Below this probability the assistant asks which of the likely intents was meant instead of guessing.</summary>
    public const double ClarifyBelow = 0.45;

    [GeneratedRegex(@"CM\d{10,30}", RegexOptions.IgnoreCase)]
    internal static partial Regex OrderNo();

    [GeneratedRegex(@"TK\d{10,30}", RegexOptions.IgnoreCase)]
    internal static partial Regex TicketNo();
}

public sealed class SendAssistantMessageValidator : AbstractValidator<SendAssistantMessage>
{
    public SendAssistantMessageValidator()
    {
        RuleFor(x => x.Text).Must(t => !string.IsNullOrWhiteSpace(t)).WithMessage(_ => AppText.Get("Assistant.TextRequired"))
            .MaximumLength(SendAssistantMessage.MaxLength).WithMessage(_ => AppText.Format("Assistant.TextTooLong", SendAssistantMessage.MaxLength));
    }
}

/// <param name="Suggestions">Quick replies to offer (intent names); when the assistant was unsure, the likely ones.</param>
public sealed record AssistantReply(Guid ConversationId, string Intent, string Reply, string? TicketNo, IReadOnlyList<string> Suggestions);

internal sealed partial class SendAssistantMessageHandler(
    ICardMallDb db, ICurrentUser currentUser, IMediator mediator, IntentModel model, ICardKeyVault vault, OpenTicketForKeys openTickets, TimeProvider clock)
    : IRequestHandler<SendAssistantMessage, AssistantReply>
{
    private static readonly string[] Common = [Intents.KeyLookup, Intents.KeyInvalid, Intents.TicketStatus, Intents.HumanAgent];

    public async Task<AssistantReply> Handle(SendAssistantMessage request, CancellationToken ct)
    {
        var text = request.Text.Trim();
        var culture = WrittenIn(text);
        var userId = currentUser.UserId;
        var now = clock.GetUtcNow();

        var conversation = request.ConversationId is { } id
            ? await db.AssistantConversations.FirstOrDefaultAsync(c => c.Id == id && c.UserId == userId, ct)
              ?? throw new NotFoundException(AppText.Get("Assistant.ConversationNotFound"))
            : null;
        if (conversation is null)
        {
            conversation = new AssistantConversation(userId, culture.Name, now);
            db.AssistantConversations.Add(conversation);
        }

        // Order and ticket numbers are facts to look up, not words: the model reads the message without them.
        var orderNo = SendAssistantMessage.OrderNo().Match(text).Value.ToUpperInvariant();
        var ticketNo = SendAssistantMessage.TicketNo().Match(text).Value.ToUpperInvariant();
        var guess = model.Classify(SendAssistantMessage.TicketNo().Replace(SendAssistantMessage.OrderNo().Replace(text, " "), " "));
        var (intent, confidence) = (guess.Intent, guess.Confidence);
        // Asking for a person is never guessed away: these words always mean it. A bare number is what it names.
        if (HumanWords().IsMatch(text)) (intent, confidence) = (Intents.HumanAgent, 1.0);
        else if (confidence < SendAssistantMessage.ClarifyBelow && ticketNo.Length > 0) (intent, confidence) = (Intents.TicketStatus, 1.0);
        else if (confidence < SendAssistantMessage.ClarifyBelow && orderNo.Length > 0) (intent, confidence) = (Intents.KeyLookup, 1.0);
        db.AssistantTurns.Add(new AssistantTurn(conversation.Id, fromBuyer: true, text, intent, confidence, now));
        conversation.Touch(now);
        await db.SaveChangesAsync(ct);

        var context = new Turn(text, culture, conversation, orderNo, ticketNo);
        Answer answer;
        if (confidence < SendAssistantMessage.ClarifyBelow && intent is not Intents.Greeting)
            answer = new Answer(Say("Assistant.Clarify", culture), null, guess.Ranked.Take(3).Select(r => r.Intent).ToList());
        else if (userId is null && NeedsSignIn(intent))
            answer = new Answer(Say("Assistant.SignIn", culture), null, [Intents.UsageGuide, Intents.RefundPolicy]);
        else
            answer = await AnswerAsync(intent, context, userId, ct);

        db.AssistantTurns.Add(new AssistantTurn(conversation.Id, fromBuyer: false, answer.Reply, intent, null, clock.GetUtcNow()));
        conversation.Touch(clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return new AssistantReply(conversation.Id, intent, answer.Reply, answer.TicketNo, answer.Suggestions.Count > 0 ? answer.Suggestions : Common);
    }

    private sealed record Turn(string Text, CultureInfo Culture, AssistantConversation Conversation, string OrderNo, string TicketNo);

    private sealed record Answer(string Reply, string? TicketNo, IReadOnlyList<string> Suggestions);

    private static bool NeedsSignIn(string intent) =>
        intent is Intents.KeyLookup or Intents.KeyInvalid or Intents.KeyAlreadyUsed or Intents.TicketStatus or Intents.NotReceived
            or Intents.HumanAgent;

    private async Task<Answer> AnswerAsync(string intent, Turn turn, Guid? userId, CancellationToken ct)
    {
        var c = turn.Culture;
        switch (intent)
        {
            case Intents.Greeting:
                return new Answer(Say("Assistant.Greeting", c), null, []);
            case Intents.KeyLookup:
                return await KeyLookupAsync(turn, userId!.Value, ct);
            case Intents.UsageGuide:
                return await UsageGuideAsync(turn, userId, ct);
            case Intents.RefundPolicy:
                return await RefundPolicyAsync(turn, userId, ct);
            case Intents.TicketStatus:
                return await TicketStatusAsync(turn, userId!.Value, ct);
            case Intents.NotReceived:
                return await NotReceivedAsync(turn, userId!.Value, ct);
            case Intents.KeyInvalid:
            case Intents.KeyAlreadyUsed:
                return await FaultyKeyAsync(turn, userId!.Value, intent == Intents.KeyInvalid ? TicketCategory.KeyInvalid : TicketCategory.KeyAlreadyUsed, ct);
            case Intents.AccountSecurity:
                return new Answer(Say("Assistant.AccountSecurity", c), null, [Intents.HumanAgent]);
            case Intents.HumanAgent:
                return await HandOverAsync(turn, userId!.Value, ct);
            default:
                return new Answer(Say("Assistant.Other", c), null, []);
        }
    }

    // ---- answers from the buyer's own data ----

    private async Task<Answer> KeyLookupAsync(Turn turn, Guid userId, CancellationToken ct)
    {
        var orders = await MyOrdersAsync(turn, userId, 3, ct);
        if (orders.Count == 0)
            return new Answer(Say(turn.OrderNo.Length > 0 ? "Assistant.OrderNotFound" : "Assistant.NoOrders", turn.Culture, turn.OrderNo), null, []);
        var sb = new StringBuilder(Say("Assistant.KeyLookup.Intro", turn.Culture));
        foreach (var o in orders)
        {
            sb.Append('\n').Append(Say("Assistant.KeyLookup.Order", turn.Culture, o.No, o.Product(turn.Culture), ShopTime.Minutes(o.CreatedAt), "/Orders/" + o.No));
            foreach (var k in o.Keys) sb.Append("\n  ").Append(k.Masked).Append(" · ").Append(Say("Assistant.KeyState." + k.State, turn.Culture));
        }
        sb.Append('\n').Append(Say("Assistant.KeyLookup.Reveal", turn.Culture));
        return new Answer(sb.ToString(), null, [Intents.UsageGuide, Intents.KeyInvalid]);
    }

    private async Task<Answer> UsageGuideAsync(Turn turn, Guid? userId, CancellationToken ct)
    {
        var order = userId is { } u ? await LatestOrderAsync(turn, u, ct) : null;
        if (order is not null && await mediator.Send(new FindTutorial(order.Sku), ct) is { } tutorial)
            return new Answer(Say("Assistant.Usage.Tutorial", turn.Culture, order.Product(turn.Culture), "/Help/" + tutorial.Slug), null, [Intents.KeyInvalid]);
        return new Answer(Say("Assistant.Usage.HelpCentre", turn.Culture, "/Help"), null, [Intents.KeyLookup]);
    }

    private async Task<Answer> RefundPolicyAsync(Turn turn, Guid? userId, CancellationToken ct)
    {
        var order = userId is { } u ? await LatestOrderAsync(turn, u, ct) : null;
        if (order is not null)
        {
            var english = turn.Culture.Name.StartsWith("en", StringComparison.Ordinal);
            var policy = await (from o in db.Orders
                                join n in db.ProductNotices on new { o.ProductId, Version = o.NoticesVersion } equals new { n.ProductId, n.Version }
                                where o.No == order.No
                                select english ? n.RefundPolicyEn : n.RefundPolicyZh).FirstOrDefaultAsync(ct);
            if (!string.IsNullOrWhiteSpace(policy))
                return new Answer(Say("Assistant.Refund.Product", turn.Culture, order.Product(turn.Culture), policy), null, [Intents.HumanAgent]);
        }
        return new Answer(Say("Assistant.Refund.General", turn.Culture), null, [Intents.HumanAgent]);
    }

    private async Task<Answer> TicketStatusAsync(Turn turn, Guid userId, CancellationToken ct)
    {
        var query = db.Tickets.AsNoTracking().Where(t => t.BuyerId == userId);
        var tickets = turn.TicketNo.Length > 0
            ? await query.Where(t => t.No == turn.TicketNo).ToListAsync(ct)
            : await query.Where(t => TicketLifecycle.ActiveStatuses.Contains(t.Status)).OrderByDescending(t => t.CreatedAt).Take(3).ToListAsync(ct);
        if (tickets.Count == 0)
            return new Answer(Say(turn.TicketNo.Length > 0 ? "Assistant.TicketNotFound" : "Assistant.NoOpenTickets", turn.Culture, turn.TicketNo), null,
                [Intents.HumanAgent]);
        var sb = new StringBuilder(Say("Assistant.Tickets.Intro", turn.Culture));
        foreach (var t in tickets)
        {
            var promise = t.FirstRespondedAt is null && t.IsActive
                ? Say("Assistant.Tickets.ReplyBy", turn.Culture, ShopTime.Minutes(t.FirstResponseDueAt))
                : t.IsActive ? Say("Assistant.Tickets.ResolveBy", turn.Culture, ShopTime.Minutes(t.ResolutionDueAt)) : "";
            sb.Append('\n').Append(Say("Assistant.Tickets.Line", turn.Culture, t.No, Say("Assistant.TicketStatus." + t.Status, turn.Culture), promise,
                "/Tickets/" + t.No));
        }
        return new Answer(sb.ToString(), null, [Intents.HumanAgent]);
    }

    /// <summary>
    /// Orders are paid and delivered in one transaction, so a paid order always has its keys: the buyer is shown
    /// where they are, and a ticket with the conversation is opened all the same — a buyer who says the key
    /// never came is owed a person's look (a wrong account, a key that shows nothing).
    /// </summary>
    private async Task<Answer> NotReceivedAsync(Turn turn, Guid userId, CancellationToken ct)
    {
        var order = await LatestOrderAsync(turn, userId, ct);
        if (order is null) return new Answer(Say("Assistant.NotReceived.NoOrder", turn.Culture), null, [Intents.HumanAgent]);
        var transcript = await TranscriptAsync(turn.Conversation, ct);
        // One open ticket per key: when the order's keys already have one, the conversation joins it.
        var ticketNo = await openTickets.FindAsync(userId, order.Keys.Select(k => k.ItemId).ToList(), ct);
        if (ticketNo is not null)
            await mediator.Send(new ReplyToTicket(ticketNo, transcript.Length > ReplyToTicketValidator.MaxBody ? transcript[..ReplyToTicketValidator.MaxBody] : transcript, []), ct);
        else
            ticketNo = (await mediator.Send(new CreateTicket(order.No, [], TicketCategory.NotReceived, transcript, null, [], Channel: "assistant"), ct)).TicketNo;
        var ticket = await db.Tickets.Where(t => t.No == ticketNo).Select(t => new { t.Id, t.FirstResponseDueAt }).SingleAsync(ct);
        await LinkAsync(turn.Conversation, ticket.Id, askedForHuman: false, ct);
        return new Answer(Say("Assistant.NotReceived.Delivered", turn.Culture, order.No, order.Keys.Count, "/Orders/" + order.No, ticketNo,
            ShopTime.Minutes(ticket.FirstResponseDueAt)), ticketNo, [Intents.KeyLookup, Intents.TicketStatus]);
    }

    /// <summary>Opens the ticket with the transcript and checks the keys with the supplier now, then says what came of it.</summary>
    private async Task<Answer> FaultyKeyAsync(Turn turn, Guid userId, TicketCategory category, CancellationToken ct)
    {
        var order = await LatestOrderAsync(turn, userId, ct);
        if (order is null)
            return new Answer(Say(turn.OrderNo.Length > 0 ? "Assistant.OrderNotFound" : "Assistant.NoOrders", turn.Culture, turn.OrderNo), null, []);
        var keys = order.Keys.Where(k => k.State is CardKeyState.Sold or CardKeyState.Redeemed).Select(k => k.ItemId).ToList();
        if (keys.Count == 0) return new Answer(Say("Assistant.FaultyKey.NothingToCheck", turn.Culture, order.No), null, [Intents.HumanAgent]);

        // A key that already has an open ticket is not complained about twice: the conversation joins that ticket.
        var open = await openTickets.FindEachAsync(userId, keys, ct);
        keys = keys.Where(k => !open.ContainsKey(k)).ToList();
        if (keys.Count == 0) return await JoinOpenTicketAsync(turn, open.Values.Order(StringComparer.Ordinal).First(), ct);

        var filed = await mediator.Send(new CreateTicket(order.No, keys, category, await TranscriptAsync(turn.Conversation, ct), null, [], Channel: "assistant"), ct);
        var ticketId = await db.Tickets.Where(t => t.No == filed.TicketNo).Select(t => t.Id).SingleAsync(ct);
        await LinkAsync(turn.Conversation, ticketId, askedForHuman: false, ct);

        var checks = await db.KeyVerifications.Where(v => v.TicketId == ticketId && v.Status == VerificationStatus.Pending).Select(v => v.Id).ToListAsync(ct);
        var outcomes = new List<VerificationOutcome>();
        foreach (var check in checks)
            if ((await mediator.Send(new RunVerification(check), ct)).Outcome is { } outcome) outcomes.Add(outcome);

        var key = outcomes.Count > 0 && outcomes.All(o => o == VerificationOutcome.Replaced) ? "Assistant.FaultyKey.Replaced"
            : outcomes.Count > 0 && outcomes.All(o => o is VerificationOutcome.Replaced or VerificationOutcome.GuidanceSent) ? "Assistant.FaultyKey.Guidance"
            : "Assistant.FaultyKey.Person";
        var due = await db.Tickets.Where(t => t.Id == ticketId).Select(t => t.FirstResponseDueAt).SingleAsync(ct);
        return new Answer(Say(key, turn.Culture, filed.TicketNo, order.No, ShopTime.Minutes(due), "/Tickets/" + filed.TicketNo), filed.TicketNo,
            [Intents.TicketStatus, Intents.HumanAgent]);
    }

    /// <summary>
    /// The keys are already on an open ticket: the conversation goes onto it as the buyer's reply (no new ticket,
    /// no second check), and the buyer is told where it stands.
    /// </summary>
    private async Task<Answer> JoinOpenTicketAsync(Turn turn, string ticketNo, CancellationToken ct)
    {
        var body = Say("Assistant.FaultyKey.JoinedNote", turn.Culture) + "\n" + await TranscriptAsync(turn.Conversation, ct);
        if (body.Length > ReplyToTicketValidator.MaxBody) body = body[..ReplyToTicketValidator.MaxBody];
        await mediator.Send(new ReplyToTicket(ticketNo, body, []), ct);
        var ticket = await db.Tickets.Where(t => t.No == ticketNo).Select(t => new { t.Id, t.FirstResponseDueAt }).SingleAsync(ct);
        await LinkAsync(turn.Conversation, ticket.Id, askedForHuman: false, ct);
        return new Answer(Say("Assistant.FaultyKey.Joined", turn.Culture, ticketNo, ShopTime.Minutes(ticket.FirstResponseDueAt), "/Tickets/" + ticketNo), ticketNo,
            [Intents.TicketStatus, Intents.HumanAgent]);
    }

    /// <summary>To a person: the conversation's ticket gets the transcript (a new one is opened if it has none).</summary>
    private async Task<Answer> HandOverAsync(Turn turn, Guid userId, CancellationToken ct)
    {
        var transcript = await TranscriptAsync(turn.Conversation, ct);
        string ticketNo;
        if (turn.Conversation.TicketId is { } existing && await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == existing, ct) is { } ticket)
        {
            await mediator.Send(new ReplyToTicket(ticket.No, Say("Assistant.HandOver.Again", turn.Culture) + "\n" + transcript, []), ct);
            ticketNo = ticket.No;
            await LinkAsync(turn.Conversation, existing, askedForHuman: true, ct);
        }
        else
        {
            var filed = await mediator.Send(new HandOverConversation(turn.Conversation.Id, turn.OrderNo, transcript), ct);
            ticketNo = filed.TicketNo;
        }
        var due = await db.Tickets.Where(t => t.No == ticketNo).Select(t => t.FirstResponseDueAt).SingleAsync(ct);
        return new Answer(Say("Assistant.HandOver", turn.Culture, ticketNo, ShopTime.Minutes(due), "/Tickets/" + ticketNo), ticketNo, [Intents.TicketStatus]);
    }

    /// <summary>The conversation is tracked by this request's context since it was read or added.</summary>
    private async Task LinkAsync(AssistantConversation conversation, Guid ticketId, bool askedForHuman, CancellationToken ct)
    {
        conversation.HandOver(ticketId, askedForHuman);
        await db.SaveChangesAsync(ct);
    }

    private async Task<string> TranscriptAsync(AssistantConversation conversation, CancellationToken ct) =>
        await AssistantTranscript.WriteAsync(db, conversation.Id, ct);

    // ---- the buyer's orders, never anybody else's ----

    private sealed record MyKey(Guid ItemId, string Masked, CardKeyState State);

    private sealed record MyOrder(string No, string Sku, string NameZh, string NameEn, DateTimeOffset CreatedAt, IReadOnlyList<MyKey> Keys)
    {
        public string Product(CultureInfo c) => c.Name.StartsWith("en", StringComparison.Ordinal) ? NameEn : NameZh;
    }

    private async Task<MyOrder?> LatestOrderAsync(Turn turn, Guid userId, CancellationToken ct)
    {
        var orders = await MyOrdersAsync(turn, userId, 1, ct);
        return orders.Count > 0 ? orders[0] : null;
    }

    /// <summary>The order the message names (if it is the sender's), else their latest <paramref name="take"/>.</summary>
    private async Task<IReadOnlyList<MyOrder>> MyOrdersAsync(Turn turn, Guid userId, int take, CancellationToken ct)
    {
        var query = db.Orders.AsNoTracking().Where(o => o.UserId == userId);
        if (turn.OrderNo.Length > 0) query = query.Where(o => o.No == turn.OrderNo);
        var orders = await query.OrderByDescending(o => o.CreatedAt).Take(take)
            .Join(db.Products, o => o.ProductId, p => p.Id, (o, p) => new { o.Id, o.No, p.Sku, p.NameZh, p.NameEn, o.CreatedAt })
            .ToListAsync(ct);
        var ids = orders.Select(o => o.Id).ToList();
        var keys = await (from i in db.OrderItems
                          join k in db.CardKeys on i.CardKeyId equals k.Id
                          where ids.Contains(i.OrderId)
                          orderby i.CreatedAt
                          select new { i.OrderId, i.Id, Key = k }).ToListAsync(ct);
        // Masked here and never whole: the chat, its transcript and the ticket it opens must not hold a key.
        return orders.Select(o => new MyOrder(o.No, o.Sku, o.NameZh, o.NameEn, o.CreatedAt,
            keys.Where(k => k.OrderId == o.Id).Select(k => new MyKey(k.Id, CardKeyMask.Mask(vault.Open(k.Key).Code), k.Key.State)).ToList())).ToList();
    }

    private static CultureInfo WrittenIn(string text) =>
        text.Any(ch => ch >= '\u4E00' && ch <= '\u9FFF') ? VisitorLanguage.Chinese
        : text.Any(char.IsLetter) ? VisitorLanguage.English : VisitorLanguage.Of(CultureInfo.CurrentUICulture.Name);

    private static string Say(string key, CultureInfo culture, params object[] args) =>
        args.Length == 0 ? AppText.Get(key, culture) : string.Format(culture, AppText.Get(key, culture), args);

    [GeneratedRegex(@"转人工|人工客服|找人工|真人客服|human|real person|live agent|talk to (an? )?(agent|person)", RegexOptions.IgnoreCase)]
    private static partial Regex HumanWords();
}
