using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// An agent records what the supplier answered on a case. When no other case of the ticket is still
/// waiting, the ticket goes back to Open: the agent acts on the answer, and the buyer hears it moved.
/// </summary>
public sealed record RecordSupplierReply(string TicketNo, Guid CaseId, string Reply) : ICommand<SupplierReplyRecorded>;

public sealed class RecordSupplierReplyValidator : AbstractValidator<RecordSupplierReply>
{
    public RecordSupplierReplyValidator()
    {
        RuleFor(x => x.TicketNo).NotEmpty().MaximumLength(24).WithMessage(_ => AppText.Get("Tickets.NotFound"));
        RuleFor(x => x.CaseId).NotEmpty().WithMessage(_ => AppText.Get("Remedies.CaseNotFound"));
        RuleFor(x => x.Reply).Must(r => !string.IsNullOrWhiteSpace(r)).WithMessage(_ => AppText.Get("Remedies.ReplyRequired"))
            .MaximumLength(2000).WithMessage(_ => AppText.Format("Remedies.TextTooLong", 2000));
    }
}

internal sealed class RecordSupplierReplyHandler(ICardMallDb db, ICurrentUser currentUser, TicketDesk desk)
    : IRequestHandler<RecordSupplierReply, SupplierReplyRecorded>
{
    public async Task<SupplierReplyRecorded> Handle(RecordSupplierReply request, CancellationToken ct)
    {
        var ticket = await desk.LockForStaffAsync(request.TicketNo.Trim(), ct);
        var agent = currentUser.RequireUserId();
        var supplierCase = await db.SupplierCases.FirstOrDefaultAsync(c => c.Id == request.CaseId && c.TicketId == ticket.Id, ct)
            ?? throw new NotFoundException(AppText.Get("Remedies.CaseNotFound"));
        if (!supplierCase.IsOpen)
            throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Get("Remedies.CaseAnswered"));

        supplierCase.RecordReply(request.Reply.Trim(), agent, desk.Now);
        var othersOpen = await db.SupplierCases.AnyAsync(c => c.TicketId == ticket.Id && c.Id != supplierCase.Id && c.RepliedAt == null, ct);
        ticket.RecordSupplierAnswer(agent, othersOpen, desk.Now);
        return new SupplierReplyRecorded(ticket.No, ticket.Status);
    }
}

public sealed record SupplierReplyRecorded(string TicketNo, TicketStatus Status);
