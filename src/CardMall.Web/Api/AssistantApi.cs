using System.Security.Claims;
using System.Threading.RateLimiting;
using CardMall.Application.Features.Assistant;
using CardMall.Application.Localization;
using CardMall.Domain.Common;
using CardMall.Web.Errors;
using MediatR;
using Microsoft.AspNetCore.RateLimiting;

namespace CardMall.Web.Api;

/// <summary>
/// <c>POST /api/v1/assistant/messages</c> <c>{text, conversationId?}</c> → 200 <c>{conversationId, intent, reply, ticketNo?}</c>
/// (api.md), plus the quick replies to offer. Rate limited per user: a chat is a person typing, so a burst
/// beyond <see cref="PerMinute"/> messages a minute is a script, answered 429 <c>rate_limited</c>.
/// </summary>
public static class AssistantApi
{
    public const string Policy = "assistant";

    public const int PerMinute = 20;

    public sealed record AssistantMessageBody(string? Text, Guid? ConversationId);

    public static IServiceCollection AddAssistantRateLimit(this IServiceCollection services) =>
        services.AddRateLimiter(o =>
        {
            o.AddPolicy(Policy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? http.Connection.RemoteIpAddress?.ToString() ?? "anonymous",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = PerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.OnRejected = async (context, ct) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    ApiProblems.SetRetryAfter(context.HttpContext, retryAfter);
                await ApiProblems.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited,
                    AppText.Format("Assistant.TooFast", PerMinute));
            };
        });

    public static void MapAssistantApi(this RouteGroupBuilder api)
    {
        api.MapPost("/assistant/messages", async (AssistantMessageBody? body, IMediator mediator, CancellationToken ct) =>
        {
            var reply = await mediator.Send(new SendAssistantMessage(body?.Text ?? "", body?.ConversationId), ct);
            return Results.Ok(new { reply.ConversationId, reply.Intent, reply.Reply, reply.TicketNo, reply.Suggestions });
        }).RequireRateLimiting(Policy);
    }
}
