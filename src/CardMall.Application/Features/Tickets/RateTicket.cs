using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using FluentValidation;
using MediatR;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// The buyer rates how their problem was handled, 1–5 with an optional comment, once the ticket is
/// resolved — and only once. A 1 or 2 puts a call-back (回访) on the supervisors' list.
/// </summary>
public sealed record RateTicket(string TicketNo, int Score, string? Comment) : ICommand<TicketRated>;

public sealed class RateTicketValidator : AbstractValidator<RateTicket>
{
    public const int MaxComment = 1000;

    public RateTicketValidator()
    {
        RuleFor(x => x.Score).InclusiveBetween(1, 5).WithMessage(_ => AppText.Get("BuyerTickets.ScoreRange"));
        RuleFor(x => x.Comment).MaximumLength(MaxComment).WithMessage(_ => AppText.Format("BuyerTickets.CommentTooLong", MaxComment));
    }
}

internal sealed class RateTicketHandler(TicketDesk desk) : IRequestHandler<RateTicket, TicketRated>
{
    public async Task<TicketRated> Handle(RateTicket request, CancellationToken cancellationToken)
    {
        var ticket = await desk.LockOwnAsync(request.TicketNo, cancellationToken);
        var comment = string.IsNullOrWhiteSpace(request.Comment) ? null : request.Comment.Trim();
        ticket.RateResolution(request.Score, comment, desk.Now);
        return new TicketRated(ticket.No, request.Score, comment);
    }
}

public sealed record TicketRated(string TicketNo, int Score, string? Comment);
