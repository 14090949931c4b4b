using System.Text.Json;
using CardMall.Application.Features.Tickets;
using CardMall.Application.Localization;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using CardMall.Web.Hosting;
using CardMall.Web.Tickets;
using FluentValidation;
using FluentValidation.Results;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Required = System.ComponentModel.DataAnnotations.RequiredAttribute;

namespace CardMall.Web.Api;

/// <summary>
/// The buyer's (and reseller's) tickets over the API: file one about keys of an order, read it with the
/// public conversation and timeline, answer, urge and rate. Somebody else's ticket is a 404 on every route.
/// </summary>
public static class TicketsApi
{
    public sealed record CreateTicketBody(
        [property: Required] string? OrderNo, [property: Required] IReadOnlyList<Guid>? ItemIds, [property: Required] string? Category, [property: Required] string? Description, string? Device);

    public sealed record ReplyBody([property: Required] string? Body);

    public sealed record RatingBody([property: Required] int? Score, string? Comment);

    /// <summary>A ticket just filed, with the times the shop promised to answer and to resolve it by.</summary>
    public sealed record TicketFiled(
        string TicketNo, TicketStatus Status, TicketPriority Priority, TicketCategory Category, DateTimeOffset FirstResponseDueAt, DateTimeOffset ResolutionDueAt);

    public sealed record TicketLine(
        string TicketNo, TicketStatus Status, TicketPriority Priority, TicketCategory Category, string? OrderNo, bool IsBulk, DateTimeOffset CreatedAt,
        DateTimeOffset FirstResponseDueAt, DateTimeOffset ResolutionDueAt, int UrgeCount, int? Rating);

    public sealed record TicketPage(IReadOnlyList<TicketLine> Items, int Page, int Total);

    /// <summary>A ticket with its public conversation and timeline; <c>responsibility</c>, <c>rootCause</c> and <c>resolution</c> are null until decided.</summary>
    public sealed record Ticket(
        string TicketNo, TicketStatus Status, TicketPriority Priority, TicketCategory Category, Responsibility? Responsibility, RootCause? RootCause,
        TicketResolution? Resolution, DateTimeOffset FirstResponseDueAt, DateTimeOffset ResolutionDueAt, string? OrderNo, DateTimeOffset CreatedAt,
        int UrgeCount, int? Rating, IReadOnlyList<TicketKey> Items, IReadOnlyList<TicketMessage> Messages, IReadOnlyList<TicketEvent> Events);

    /// <summary>A key the ticket is about, masked.</summary>
    public sealed record TicketKey(Guid ItemId, string OrderNo, CardKeyState State, string MaskedCode);

    /// <summary><c>author</c> is <c>buyer</c>, <c>agent</c> or <c>system</c>.</summary>
    public sealed record TicketMessage(DateTimeOffset At, string Author, string Body);

    public sealed record TicketEvent(DateTimeOffset At, string Kind, string? Detail);

    public sealed record TicketReply(string TicketNo, TicketStatus Status);

    /// <summary><c>nextUrgeAt</c>: the earliest time another urge is accepted.</summary>
    public sealed record TicketUrged(int UrgeCount, TicketPriority Priority, DateTimeOffset NextUrgeAt);

    public sealed record TicketRating(string TicketNo, int Score, string? Comment);

    public static void MapTicketsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/tickets", async Task<Created<TicketFiled>> (CreateTicketBody? body, IMediator mediator, CancellationToken ct) =>
        {
            if (body is null)
                throw new ValidationException([new ValidationFailure("Body", "Send {orderNo, itemIds, category, description} as JSON.")]);
            if (!TicketSlugs.TryParse<TicketCategory>(body.Category, out var category))
                throw new ValidationException([new ValidationFailure("Category", AppText.Get("Tickets.CategoryUnknown"))]);

            var created = await mediator.Send(new CreateTicket(body.OrderNo ?? "", body.ItemIds ?? [], category, body.Description ?? "",
                body.Device, [], Channel: "api"), ct);
            return TypedResults.Created($"/api/v1/tickets/{created.TicketNo}", new TicketFiled(
                created.TicketNo, created.Status, created.Priority, created.Category, created.FirstResponseDueAt, created.ResolutionDueAt));
        }).WithMetadata(new RateLimitedPostAttribute(ShopLimit.TicketWriting))
        .WithName("FileTicket").WithSummary("File a ticket about keys of one of the caller's orders").WithTags(ApiDocument.Tag.Tickets)
        .WithDescription("A key that already has an open ticket of the caller's is 409 `invalid_state` with the `ticketNo` of that ticket.")
        .Problems(ErrorCodes.ValidationFailed, ErrorCodes.NotFound, ErrorCodes.InvalidState);

        api.MapGet("/tickets", async Task<Ok<TicketPage>> (int? page, IMediator mediator, CancellationToken ct) =>
        {
            var list = await mediator.Send(new ListMyTickets(page ?? 1), ct);
            var tickets = list.Tickets;
            return TypedResults.Ok(new TicketPage(
                [.. tickets.Items.Select(t => new TicketLine(t.TicketNo, t.Status, t.Priority, t.Category, t.OrderNo, t.IsBulk, t.CreatedAt,
                    t.FirstResponseDueAt, t.ResolutionDueAt, t.UrgeCount, t.Rating))],
                tickets.Page,
                tickets.Total));
        })
        .WithName("ListTickets").WithSummary("The caller's tickets, newest first, a page at a time").WithTags(ApiDocument.Tag.Tickets)
        .Problems(ErrorCodes.ValidationFailed);

        api.MapGet("/tickets/{ticketNo}", async Task<Ok<Ticket>> (string ticketNo, IMediator mediator, CancellationToken ct) =>
        {
            var t = await mediator.Send(new GetMyTicket(ticketNo), ct);
            return TypedResults.Ok(new Ticket(
                t.TicketNo, t.Status, t.Priority, t.Category, t.Responsibility, t.RootCause, t.Resolution, t.FirstResponseDueAt, t.ResolutionDueAt,
                t.OrderNo, t.CreatedAt, t.UrgeCount, t.Rating,
                Items: [.. t.Keys.Select(k => new TicketKey(k.ItemId, k.OrderNo, k.State, k.MaskedCode))],
                Messages: [.. t.Messages.Select(m => new TicketMessage(m.At, AuthorName(m.Author), m.Body))],
                // A ticket value (status, category, priority, resolution) reads as the contract spells it elsewhere (waiting_on_buyer).
                Events: [.. t.Events.Select(e => new TicketEvent(e.At, e.Kind, TicketEventText.ForApi(e.Detail)))]));
        })
        .WithName("GetTicket").WithSummary("One of the caller's tickets, with its public messages and events").WithTags(ApiDocument.Tag.Tickets)
        .Problems(ErrorCodes.NotFound);

        api.MapPost("/tickets/{ticketNo}/messages", async Task<Created<TicketReply>> (string ticketNo, ReplyBody? body, IMediator mediator, CancellationToken ct) =>
        {
            var replied = await mediator.Send(new ReplyToTicket(ticketNo, body?.Body, []), ct);
            return TypedResults.Created($"/api/v1/tickets/{replied.TicketNo}", new TicketReply(replied.TicketNo, replied.Status));
        }).WithMetadata(new RateLimitedPostAttribute(ShopLimit.TicketWriting))
        .WithName("ReplyToTicket").WithSummary("Add a message to one of the caller's tickets").WithTags(ApiDocument.Tag.Tickets)
        .Problems(ErrorCodes.ValidationFailed, ErrorCodes.NotFound, ErrorCodes.InvalidState);

        api.MapPost("/tickets/{ticketNo}/urge", async Task<Ok<TicketUrged>> (string ticketNo, IMediator mediator, CancellationToken ct) =>
        {
            var urged = await mediator.Send(new UrgeTicket(ticketNo), ct);
            return TypedResults.Ok(new TicketUrged(urged.UrgeCount, urged.Priority, urged.NextUrgeAt));
        })
        .WithName("UrgeTicket").WithSummary("Ask for a faster answer (once an hour; a second urge within the hour is 429)").WithTags(ApiDocument.Tag.Tickets)
        .Problems(ErrorCodes.NotFound, ErrorCodes.InvalidState);

        api.MapPost("/tickets/{ticketNo}/rating", async Task<Ok<TicketRating>> (string ticketNo, RatingBody? body, IMediator mediator, CancellationToken ct) =>
        {
            if (body?.Score is not { } score)
                throw new ValidationException([new ValidationFailure("Score", AppText.Get("BuyerTickets.ScoreRequired"))]);
            var rated = await mediator.Send(new RateTicket(ticketNo, score, body.Comment), ct);
            return TypedResults.Ok(new TicketRating(rated.TicketNo, rated.Score, rated.Comment));
        })
        .WithName("RateTicket").WithSummary("Rate a resolved or closed ticket, once (score 1–5)").WithTags(ApiDocument.Tag.Tickets)
        .Problems(ErrorCodes.ValidationFailed, ErrorCodes.NotFound, ErrorCodes.InvalidState);
    }


    /// <summary>Who wrote a message, as the contract names them: the buyer, an agent (any staff), or the system.</summary>
    private static string AuthorName(MessageAuthor author) => author switch
    {
        MessageAuthor.Buyer => "buyer",
        MessageAuthor.Staff => "agent",
        _ => "system",
    };
}

/// <summary>
/// Ticket values (category, status …) in the snake_case the API contract and the ticket form's
/// addresses use: key_invalid for <see cref="TicketCategory.KeyInvalid"/>. Only names are read, never numbers.
/// </summary>
public static class TicketSlugs
{
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum =>
        JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    public static bool TryParse<TEnum>(string? slug, out TEnum value) where TEnum : struct, Enum
    {
        var wanted = (slug ?? "").Trim().ToLowerInvariant();
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (Of(candidate) != wanted) continue;
            value = candidate;
            return true;
        }
        value = default;
        return false;
    }
}
