using CardMall.Application.Abstractions;
using CardMall.Application.Features.Tickets;
using CardMall.Application.Localization;
using FluentValidation;
using MediatR;

namespace CardMall.Application.Features.Chats;

/// <summary>The buyer rates the chat once it has ended, 1–5 with an optional comment; a 1 or 2 puts a call-back (回访) on the supervisors' list, as for tickets.</summary>
public sealed record RateChat(Guid ChatId, int Score, string? Comment) : ICommand<int>;

public sealed class RateChatValidator : AbstractValidator<RateChat>
{
    public RateChatValidator()
    {
        RuleFor(x => x.Score).InclusiveBetween(1, 5).WithMessage(_ => AppText.Get("BuyerTickets.ScoreRange"));
        RuleFor(x => x.Comment).MaximumLength(RateTicketValidator.MaxComment)
            .WithMessage(_ => AppText.Format("BuyerTickets.CommentTooLong", RateTicketValidator.MaxComment));
    }
}

internal sealed class RateChatHandler(ICurrentUser currentUser, ChatDesk desk) : IRequestHandler<RateChat, int>
{
    public async Task<int> Handle(RateChat request, CancellationToken ct)
    {
        var chat = await desk.LockOwnAsync(request.ChatId, ct);
        chat.Rate(currentUser.RequireUserId(), request.Score, request.Comment, desk.Now);
        return request.Score;
    }
}
