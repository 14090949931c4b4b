using CardMall.Application.Abstractions;
using CardMall.Application.Behaviors;
using CardMall.Application.Features.Tickets;
using CardMall.Application.Localization;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Common;
using CardMall.Domain.Verification;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Verification;

/// <summary>
/// The agent presses "verify" (核验卡密) on a ticket: every key of the ticket still in use is checked now,
/// exactly as a filed complaint is checked by the worker, and the agent sees the results at once. The round is
/// queued in one short transaction (a resolved or closed ticket cannot be verified), then each check runs as
/// its own <see cref="RunVerification"/> — claim, ask the supplier with no transaction open, apply — so an agent's
/// press never holds the ticket's rows while a supplier answers. Deliberately not an
/// <see cref="ICommand{TResult}"/>: a command would wrap the supplier calls in its transaction.
/// </summary>
public sealed record VerifyTicketKeys(string TicketNo) : IRequest<TicketKeysVerified>;

public sealed class VerifyTicketKeysValidator : AbstractValidator<VerifyTicketKeys>
{
    public VerifyTicketKeysValidator() =>
        RuleFor(x => x.TicketNo).NotEmpty().MaximumLength(24).WithMessage(_ => AppText.Get("Tickets.NotFound"));
}

internal sealed class VerifyTicketKeysHandler(ICardMallDb db, ICurrentUser currentUser, TicketDesk desk, IMediator mediator)
    : IRequestHandler<VerifyTicketKeys, TicketKeysVerified>
{
    public const string Trigger = "agent";

    public async Task<TicketKeysVerified> Handle(VerifyTicketKeys request, CancellationToken ct)
    {
        var (ticketNo, round) = await db.InOwnTransactionAsync(async c =>
        {
            var ticket = await desk.LockForStaffAsync(request.TicketNo.Trim(), c);
            var me = currentUser.RequireUserId();
            if (!ticket.IsActive) throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Get("Verification.TicketInactive"));

            // A key already replaced or refunded (void) has nothing left to check.
            var items = await (from ti in db.TicketItems
                               join oi in db.OrderItems on ti.OrderItemId equals oi.Id
                               join k in db.CardKeys on oi.CardKeyId equals k.Id
                               where ti.TicketId == ticket.Id && k.State != CardKeyState.Void
                               orderby oi.CreatedAt, oi.Id
                               select new { ItemId = oi.Id, oi.CardKeyId }).ToListAsync(c);
            if (items.Count == 0) throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Get("Verification.NothingToVerify"));

            var now = desk.Now;
            var queued = items.Select(i => new KeyVerification(i.CardKeyId, ticket.Id, i.ItemId, me, Trigger, now)).ToList();
            db.KeyVerifications.AddRange(queued);
            return (ticket.No, queued.Select(v => v.Id).ToList());
        }, ct);

        var results = new List<VerificationRun>();
        foreach (var id in round)
            results.Add(await mediator.Send(new RunVerification(id), ct));
        return new TicketKeysVerified(ticketNo, results);
    }
}

public sealed record TicketKeysVerified(string TicketNo, IReadOnlyList<VerificationRun> Results);
