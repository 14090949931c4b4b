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

internal sealed class RateTicketHandler(ICardMallDb db, TicketDesk desk) : IRequestHandler<RateTicket, TicketRated>
{
    /// <summary>Scores at or below this are followed up by a supervisor.</summary>
    public const int FollowUpAtOrBelow = 2;

    public async Task<TicketRated> Handle(RateTicket request, CancellationToken cancellationToken)
    {
        var ticket = await desk.LockOwnAsync(request.TicketNo, cancellationToken);
        if (ticket.Rating is not null)
            throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Get("BuyerTickets.AlreadyRated"));
        if (!ticket.CanRate)
            throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Get("BuyerTickets.RateNotResolved"));

        var comment = string.IsNullOrWhiteSpace(request.Comment) ? null : request.Comment.Trim();
        ticket.Rate(request.Score, comment, desk.Now);
        var score = request.Score.ToString(System.Globalization.CultureInfo.InvariantCulture);
        desk.Record(ticket, TicketEventKinds.Rated, score, isPublic: true);

        if (request.Score <= FollowUpAtOrBelow)
        {
            db.FollowUpTasks.Add(new FollowUpTask(ticket.Id, "low_rating", desk.Now));
            await desk.NotifySupervisorsAsync(ticket, "TicketLowRating", cancellationToken, score);
        }
        return new TicketRated(ticket.No, request.Score, comment);
    }
}

public sealed record TicketRated(string TicketNo, int Score, string? Comment);
