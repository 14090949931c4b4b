using System.Text.Json;
using CardMall.Application.Features.Tickets;
using CardMall.Application.Localization;
using CardMall.Domain.Tickets;
using CardMall.Web.Hosting;
using CardMall.Web.Tickets;
using FluentValidation;
using FluentValidation.Results;
using MediatR;

namespace CardMall.Web.Api;

/// <summary>
/// The buyer's (and reseller's) tickets over the API: file one about keys of an order, read it with the
/// public conversation and timeline, answer, urge and rate. Somebody else's ticket is a 404 on every route.
/// </summary>
public static class TicketsApi
{
    public sealed record CreateTicketBody(string? OrderNo, IReadOnlyList<Guid>? ItemIds, string? Category, string? Description, string? Device);

    public sealed record ReplyBody(string? Body);

    public sealed record RatingBody(int? Score, string? Comment);

    public static void MapTicketsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/tickets", async (CreateTicketBody? body, IMediator mediator, CancellationToken ct) =>
        {
            if (body is null)
                throw new ValidationException([new ValidationFailure("Body", "Send {orderNo, itemIds, category, description} as JSON.")]);
            if (!TicketSlugs.TryParse<TicketCategory>(body.Category, out var category))
                throw new ValidationException([new ValidationFailure("Category", AppText.Get("Tickets.CategoryUnknown"))]);

            var created = await mediator.Send(new CreateTicket(body.OrderNo ?? "", body.ItemIds ?? [], category, body.Description ?? "",
                body.Device, [], Channel: "api"), ct);
            return Results.Created($"/api/v1/tickets/{created.TicketNo}", new
            {
                created.TicketNo,
                created.Status,
                created.Priority,
                created.Category,
                created.FirstResponseDueAt,
                created.ResolutionDueAt,
            });
        }).WithMetadata(new RateLimitedPostAttribute(ShopLimit.TicketWriting));

        api.MapGet("/tickets", async (int? page, IMediator mediator, CancellationToken ct) =>
        {
            var list = await mediator.Send(new ListMyTickets(page ?? 1), ct);
            var tickets = list.Tickets;
            return Results.Ok(new
            {
                Items = tickets.Items.Select(t => new
                {
                    t.TicketNo,
                    t.Status,
                    t.Priority,
                    t.Category,
                    t.OrderNo,
                    t.IsBulk,
                    t.CreatedAt,
                    t.FirstResponseDueAt,
                    t.ResolutionDueAt,
                    t.UrgeCount,
                    t.Rating,
                }),
                tickets.Page,
                tickets.Total,
            });
        });

        api.MapGet("/tickets/{ticketNo}", async (string ticketNo, IMediator mediator, CancellationToken ct) =>
        {
            var t = await mediator.Send(new GetMyTicket(ticketNo), ct);
            return Results.Ok(new
            {
                t.TicketNo,
                t.Status,
                t.Priority,
                t.Category,
                t.Responsibility,
                t.RootCause,
                t.Resolution,
                t.FirstResponseDueAt,
                t.ResolutionDueAt,
                t.OrderNo,
                t.CreatedAt,
                t.UrgeCount,
                t.Rating,
                Items = t.Keys.Select(k => new { k.ItemId, k.OrderNo, k.State, k.MaskedCode }),
                Messages = t.Messages.Select(m => new { m.At, Author = AuthorName(m.Author), m.Body }),
                // A ticket value (status, category, priority, resolution) reads as the contract spells it elsewhere (waiting_on_buyer).
                Events = t.Events.Select(e => new { e.At, e.Kind, Detail = TicketEventText.ForApi(e.Detail) }),
            });
        });

        api.MapPost("/tickets/{ticketNo}/messages", async (string ticketNo, ReplyBody? body, IMediator mediator, CancellationToken ct) =>
        {
            var replied = await mediator.Send(new ReplyToTicket(ticketNo, body?.Body, []), ct);
            return Results.Created($"/api/v1/tickets/{replied.TicketNo}", new { replied.TicketNo, replied.Status });
        }).WithMetadata(new RateLimitedPostAttribute(ShopLimit.TicketWriting));

        api.MapPost("/tickets/{ticketNo}/urge", async (string ticketNo, IMediator mediator, CancellationToken ct) =>
        {
            var urged = await mediator.Send(new UrgeTicket(ticketNo), ct);
            return Results.Ok(new { urged.UrgeCount, urged.Priority, urged.NextUrgeAt });
        });

        api.MapPost("/tickets/{ticketNo}/rating", async (string ticketNo, RatingBody? body, IMediator mediator, CancellationToken ct) =>
        {
            if (body?.Score is not { } score)
                throw new ValidationException([new ValidationFailure("Score", AppText.Get("BuyerTickets.ScoreRequired"))]);
            var rated = await mediator.Send(new RateTicket(ticketNo, score, body.Comment), ct);
            return Results.Ok(new { rated.TicketNo, rated.Score, rated.Comment });
        });
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
