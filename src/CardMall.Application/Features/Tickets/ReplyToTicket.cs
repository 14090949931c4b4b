using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using FluentValidation;
using MediatR;
using Microsoft.Extensions.Options;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// The buyer answers on their ticket, with or without more evidence. An answer while we wait on the buyer
/// sends the ticket back to the agent and restarts the SLA clock; an answer to a resolved ticket within the
/// reopen window reopens it ("it still does not work"). A closed ticket takes no more answers: the buyer
/// reopens it or files a new one.
/// </summary>
public sealed record ReplyToTicket(string TicketNo, string? Body, IReadOnlyList<EvidenceUpload> Evidence) : ICommand<TicketReplied>
{
    public override string ToString() => $"ReplyToTicket({TicketNo}, {Evidence.Count} images)";
}

public sealed class ReplyToTicketValidator : AbstractValidator<ReplyToTicket>
{
    public const int MaxBody = 4000;

    public ReplyToTicketValidator(IOptions<AfterSalesOptions> options)
    {
        RuleFor(x => x.Body).Must((x, body) => !string.IsNullOrWhiteSpace(body) || x.Evidence.Count > 0)
            .WithMessage(_ => AppText.Get("BuyerTickets.ReplyEmpty"))
            .MaximumLength(MaxBody).WithMessage(_ => AppText.Format("BuyerTickets.ReplyTooLong", MaxBody));
        EvidenceRules.Apply(this, x => x.Evidence, options);
    }
}

internal sealed class ReplyToTicketHandler(ICurrentUser currentUser, TicketDesk desk, EvidenceQuota quota, IOptions<AfterSalesOptions> options)
    : IRequestHandler<ReplyToTicket, TicketReplied>
{
    public async Task<TicketReplied> Handle(ReplyToTicket request, CancellationToken cancellationToken)
    {
        var userId = currentUser.RequireUserId();
        var ticket = await desk.LockOwnAsync(request.TicketNo, cancellationToken);
        await quota.EnsureRoomAsync(userId, request.Evidence, nameof(request.Evidence), cancellationToken);
        var wasResolved = ticket.Status == TicketStatus.Resolved;
        ticket.ReplyAsBuyer((request.Body ?? "").Trim(), EvidenceRules.Checked(request.Evidence), options.Value.ReopenWindow, desk.Now);
        return new TicketReplied(ticket.No, ticket.Status, Reopened: wasResolved);
    }
}

public sealed record TicketReplied(string TicketNo, TicketStatus Status, bool Reopened);
