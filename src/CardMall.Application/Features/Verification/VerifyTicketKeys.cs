using CardMall.Application.Abstractions;
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
/// exactly as a filed complaint is checked by the worker, and the agent sees the results at once. The round
/// is one transaction: its rows are never visible to the worker as pending, and either all of it (new keys,
/// messages, the ticket's new status) is kept or none. A resolved or closed ticket is reopened first.
/// </summary>
public sealed record VerifyTicketKeys(string TicketNo) : ICommand<TicketKeysVerified>;

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
        var ticket = await desk.LockForStaffAsync(request.TicketNo.Trim(), ct);
        var me = currentUser.RequireUserId();
        if (!ticket.IsActive) throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Get("Verification.TicketInactive"));

        // A key already replaced or refunded (void) has nothing left to check.
        var items = await (from ti in db.TicketItems
                           join oi in db.OrderItems on ti.OrderItemId equals oi.Id
                           join k in db.CardKeys on oi.CardKeyId equals k.Id
                           where ti.TicketId == ticket.Id && k.State != CardKeyState.Void
                           orderby oi.CreatedAt, oi.Id
                           select new { ItemId = oi.Id, oi.CardKeyId }).ToListAsync(ct);
        if (items.Count == 0) throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Get("Verification.NothingToVerify"));

        var now = desk.Now;
        var round = items.Select(i => new KeyVerification(i.CardKeyId, ticket.Id, i.ItemId, me, Trigger, now)).ToList();
        db.KeyVerifications.AddRange(round);
        await db.SaveChangesAsync(ct);

        // Sent from inside this command, each check joins its transaction (see the summary).
        var results = new List<VerificationRun>();
        foreach (var verification in round)
            results.Add(await mediator.Send(new RunVerification(verification.Id), ct));
        return new TicketKeysVerified(ticket.No, results);
    }
}

public sealed record TicketKeysVerified(string TicketNo, IReadOnlyList<VerificationRun> Results);
