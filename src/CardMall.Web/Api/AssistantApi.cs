using CardMall.Application.Features.Assistant;
using CardMall.Domain.Common;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Required = System.ComponentModel.DataAnnotations.RequiredAttribute;

namespace CardMall.Web.Api;

/// <summary>
/// <c>POST /api/v1/assistant/messages</c> <c>{text, conversationId?}</c> → 200 <c>{conversationId, intent, reply, ticketNo?}</c>
/// (api.md), plus the quick replies to offer. Rate limited per user: a chat is a person typing, so a burst
/// beyond <see cref="PerMinute"/> messages a minute is a script, answered 429 <c>rate_limited</c>
/// (the policy is registered with the shop's other limits in <see cref="Hosting.ShopRateLimits"/>).
/// </summary>
public static class AssistantApi
{
    public const string Policy = "assistant";

    public const int PerMinute = 20;

    public sealed record AssistantMessageBody([property: Required] string? Text, Guid? ConversationId);

    /// <summary>
    /// The assistant's answer: <c>intent</c> is what it understood, <c>ticketNo</c> the ticket it filed or joined, and
    /// <c>suggestions</c> the quick replies to offer next, and <c>chatId</c> the live chat the buyer was put through to (转人工 while an agent is online).
    /// </summary>
    public sealed record AssistantAnswer(Guid ConversationId, string Intent, string Reply, string? TicketNo, IReadOnlyList<string> Suggestions, Guid? ChatId);

    public static void MapAssistantApi(this RouteGroupBuilder api)
    {
        api.MapPost("/assistant/messages", async Task<Ok<AssistantAnswer>> (AssistantMessageBody? body, IMediator mediator, CancellationToken ct) =>
        {
            var reply = await mediator.Send(new SendAssistantMessage(body?.Text ?? "", body?.ConversationId), ct);
            return TypedResults.Ok(new AssistantAnswer(reply.ConversationId, reply.Intent, reply.Reply, reply.TicketNo, reply.Suggestions, reply.ChatId));
        }).RequireRateLimiting(Policy)
        .WithName("AskAssistant").WithSummary("Send the assistant a message and get its answer").WithTags(ApiDocument.Tag.Assistant)
        .Problems(ErrorCodes.ValidationFailed, ErrorCodes.NotFound);
    }
}
