using CardMall.Application.Features.Assistant;
using MediatR;
using Microsoft.AspNetCore.RateLimiting;

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

    public sealed record AssistantMessageBody(string? Text, Guid? ConversationId);

    public static void MapAssistantApi(this RouteGroupBuilder api)
    {
        api.MapPost("/assistant/messages", async (AssistantMessageBody? body, IMediator mediator, CancellationToken ct) =>
        {
            var reply = await mediator.Send(new SendAssistantMessage(body?.Text ?? "", body?.ConversationId), ct);
            return Results.Ok(new { reply.ConversationId, reply.Intent, reply.Reply, reply.TicketNo, reply.Suggestions });
        }).RequireRateLimiting(Policy);
    }
}
