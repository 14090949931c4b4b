using CardMall.Application.Features.Chats;
using CardMall.Domain.Common;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Required = System.ComponentModel.DataAnnotations.RequiredAttribute;

namespace CardMall.Web.Api;

/// <summary>
/// Live chat with a person over the API (api.md): start one, read it (status, place in the queue, messages), write in
/// it. The browser uses the same use cases over SignalR (<c>/hubs/chat</c>). Somebody else's chat is a 404. Writing is
/// limited per user to what a person types (<see cref="PerMinute"/> a minute).
/// </summary>
public static class ChatsApi
{
    public const string Policy = "chats";

    public const int PerMinute = 30;

    public sealed record StartChatBody([property: Required] string? Text, string? OrderNo);

    public sealed record ChatMessageBody([property: Required] string? Body);

    /// <summary><c>status</c>: <c>queued</c>, <c>active</c>, or <c>offline</c> (nobody on duty: the message became ticket <c>ticketNo</c>).</summary>
    public sealed record ChatStartedAnswer(Guid ChatId, string Status, int? Position, int? EstimatedWaitSeconds, string? TicketNo);

    /// <summary><c>author</c> is <c>buyer</c>, <c>agent</c> or <c>system</c>.</summary>
    public sealed record ChatMessageLine(int Seq, DateTimeOffset At, string Author, string? AuthorName, string Body);

    /// <summary><c>agent</c> is the name of the person answering (null while waiting); <c>position</c> and <c>estimatedWaitSeconds</c> are set while it waits.</summary>
    public sealed record ChatAnswer(Guid ChatId, string Status, string? Agent, int? Position, int? EstimatedWaitSeconds, bool MayLeaveMessage,
        string? TicketNo, int? Rating, IReadOnlyList<ChatMessageLine> Messages);

    public static void MapChatsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/chats", async Task<Created<ChatStartedAnswer>> (StartChatBody? body, IMediator mediator, CancellationToken ct) =>
        {
            var started = await mediator.Send(new StartChat(body?.Text ?? "", body?.OrderNo), ct);
            return TypedResults.Created($"/api/v1/chats/{started.ChatId}",
                new ChatStartedAnswer(started.ChatId, started.Status, started.Position, started.EstimatedWaitSeconds, started.TicketNo));
        }).RequireRateLimiting(Policy)
        .WithName("StartChat").WithSummary("Talk to a person: start a live chat (or write into the open one)").WithTags(ApiDocument.Tag.Chats)
        .WithDescription("With nobody on duty the message becomes a ticket at once: `status` is `offline` and `ticketNo` names it.")
        .Problems(ErrorCodes.ValidationFailed, ErrorCodes.NotFound);

        api.MapGet("/chats/{chatId:guid}", async Task<Ok<ChatAnswer>> (Guid chatId, int? after, IMediator mediator, CancellationToken ct) =>
        {
            var chat = await mediator.Send(new GetChat(chatId, Math.Max(0, after ?? 0)), ct);
            var s = chat.State;
            return TypedResults.Ok(new ChatAnswer(s.ChatId, s.Status, s.Agent, s.Position, s.EstimatedWaitSeconds, s.MayLeaveMessage, s.TicketNo, s.Rating,
                [.. chat.Messages.Select(m => new ChatMessageLine(m.Seq, m.At, m.Author, m.AuthorName, m.Body))]));
        })
        .WithName("GetChat").WithSummary("A chat of the caller's: where it stands and its messages (after message number `after`, if given)")
        .WithTags(ApiDocument.Tag.Chats)
        .Problems(ErrorCodes.NotFound);

        api.MapPost("/chats/{chatId:guid}/messages", async Task<Created<ChatMessageLine>> (Guid chatId, ChatMessageBody? body, IMediator mediator, CancellationToken ct) =>
        {
            var m = await mediator.Send(new PostChatMessage(chatId, body?.Body ?? ""), ct);
            return TypedResults.Created($"/api/v1/chats/{chatId}", new ChatMessageLine(m.Seq, m.At, m.Author, m.AuthorName, m.Body));
        }).RequireRateLimiting(Policy)
        .WithName("PostChatMessage").WithSummary("Write in one of the caller's chats").WithTags(ApiDocument.Tag.Chats)
        .Problems(ErrorCodes.ValidationFailed, ErrorCodes.NotFound, ErrorCodes.InvalidState);
    }
}
