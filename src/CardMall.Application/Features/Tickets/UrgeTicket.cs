using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// 催单: the buyer asks us to hurry. Once per <see cref="AfterSalesOptions.UrgeInterval"/> (a second
/// press within the hour is refused and tells them when they may press again); every urge is counted
/// for the dashboards, and every second one raises the priority, which supervisors hear about.
/// </summary>
public sealed record UrgeTicket(string TicketNo) : ICommand<UrgeResult>;

public sealed class UrgeTicketValidator : AbstractValidator<UrgeTicket>
{
    public UrgeTicketValidator() => RuleFor(x => x.TicketNo).NotEmpty().MaximumLength(24);
}

internal sealed class UrgeTicketHandler(ICardMallDb db, ICurrentUser currentUser, TicketDesk desk, IOptions<AfterSalesOptions> options)
    : IRequestHandler<UrgeTicket, UrgeResult>
{
    public async Task<UrgeResult> Handle(UrgeTicket request, CancellationToken cancellationToken)
    {
        var userId = currentUser.RequireUserId();
        var ticket = await desk.LockOwnAsync(request.TicketNo, cancellationToken);
        var (now, interval) = (desk.Now, options.Value.UrgeInterval);
        var outcome = ticket.Urge(userId, now, interval);
        if (!outcome.Accepted)
        {
            // Said in the buyer's own time zone: "try again after 14:05".
            var timeZone = await db.Users.Where(u => u.Id == userId).Select(u => u.TimeZoneId).FirstAsync(cancellationToken);
            var nextAllowed = outcome.NextAllowedAt!.Value;
            throw new RateLimitedException(AppText.Format("BuyerTickets.UrgeTooSoon", BuyerTime.Compact(nextAllowed, now, timeZone)), nextAllowed - now);
        }
        return new UrgeResult(ticket.No, ticket.UrgeCount, ticket.Priority, outcome.PriorityRaised, now + interval);
    }
}

public sealed record UrgeResult(string TicketNo, int UrgeCount, TicketPriority Priority, bool PriorityRaised, DateTimeOffset NextUrgeAt);
