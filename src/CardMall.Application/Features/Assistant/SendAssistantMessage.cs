using CardMall.Application.Abstractions;
using CardMall.Application.Features.Assistant.Answers;
using CardMall.Application.Localization;
using CardMall.Domain.Assistant;
using CardMall.Domain.Common;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Assistant;

/// <summary>
/// One message to the 7×24 assistant (智能客服): understood by the <see cref="IIntentClassifier"/>, answered by the
/// one <see cref="IAssistantAnswer"/> for its intent (see Answers/) from the sender's own data only, and stored
/// with the answer as the conversation's transcript. Visitors who are not signed in get the general answers and
/// are asked to sign in for anything about their orders.
/// <para>
/// Not a single transaction on purpose: filing the ticket and checking each key are their own commands
/// (each all-or-nothing), so a slow supplier never holds the ticket's rows.
/// </para>
/// </summary>
public sealed record SendAssistantMessage(string Text, Guid? ConversationId) : IRequest<AssistantReply>
{
    public const int MaxLength = 1000;
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
/// <param name="ChatId">The live chat the buyer was put through to (转人工 while an agent is online).</param>
public sealed record AssistantReply(Guid ConversationId, string Intent, string Reply, string? TicketNo, IReadOnlyList<string> Suggestions, Guid? ChatId = null);

internal sealed class SendAssistantMessageHandler(
    ICardMallDb db, ICurrentUser currentUser, IIntentClassifier classifier, IEnumerable<IAssistantAnswer> answers, TimeProvider clock)
    : IRequestHandler<SendAssistantMessage, AssistantReply>
{
    private static readonly string[] Common = [Intents.KeyLookup, Intents.KeyInvalid, Intents.TicketStatus, Intents.HumanAgent];

    private readonly Dictionary<string, IAssistantAnswer> _answers = answers.SelectMany(a => a.Intents, (a, intent) => (a, intent))
        .ToDictionary(x => x.intent, x => x.a);

    public async Task<AssistantReply> Handle(SendAssistantMessage request, CancellationToken ct)
    {
        var text = request.Text.Trim();
        var understood = classifier.Understand(text);
        var userId = currentUser.UserId;
        var now = clock.GetUtcNow();

        var conversation = request.ConversationId is { } id
            ? await db.AssistantConversations.FirstOrDefaultAsync(c => c.Id == id && c.UserId == userId, ct)
              ?? throw new NotFoundException(AppText.Get("Assistant.ConversationNotFound"))
            : null;
        if (conversation is null)
        {
            conversation = new AssistantConversation(userId, understood.Culture.Name, now);
            db.AssistantConversations.Add(conversation);
        }
        // The buyer's words are stored before anything is answered: the transcript a ticket gets includes them.
        db.AssistantTurns.Add(new AssistantTurn(conversation.Id, fromBuyer: true, text, understood.Intent, understood.Confidence, now));
        conversation.Touch(now);
        await db.SaveChangesAsync(ct);

        var ask = new AssistantAsk(text, understood, conversation, userId);
        var answerer = _answers.GetValueOrDefault(understood.Intent) ?? _answers[Intents.Other];
        var answer = understood.Clarify ? new Answer(ask.Say("Assistant.Clarify"), null, understood.Likely)
            : userId is null && answerer.NeedsSignIn ? new Answer(ask.Say("Assistant.SignIn"), null, [Intents.UsageGuide, Intents.RefundPolicy])
            : await answerer.AnswerAsync(ask, ct);

        db.AssistantTurns.Add(new AssistantTurn(conversation.Id, fromBuyer: false, answer.Reply, understood.Intent, null, clock.GetUtcNow()));
        conversation.Touch(clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return new AssistantReply(conversation.Id, understood.Intent, answer.Reply, answer.TicketNo, answer.Suggestions.Count > 0 ? answer.Suggestions : Common, answer.ChatId);
    }
}
