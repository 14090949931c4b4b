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
/// An agent asks the supplier of the ticket's keys (key → batch → supplier) about them: a supplier case
/// with its own due time opens for each supplier involved, and the ticket waits on the supplier. The buyer
/// is told in plain words that the question went upstream — never to whom: buyers do not see suppliers.
/// One open round at a time: the answer is recorded before the supplier is asked again.
/// </summary>
public sealed record EscalateToSupplier(string TicketNo, string Question) : ICommand<SupplierEscalation>;

public sealed class EscalateToSupplierValidator : AbstractValidator<EscalateToSupplier>
{
    public EscalateToSupplierValidator()
    {
        RuleFor(x => x.TicketNo).NotEmpty().MaximumLength(24).WithMessage(_ => AppText.Get("Tickets.NotFound"));
        RuleFor(x => x.Question).Must(q => !string.IsNullOrWhiteSpace(q)).WithMessage(_ => AppText.Get("Remedies.QuestionRequired"))
            .MaximumLength(2000).WithMessage(_ => AppText.Format("Remedies.TextTooLong", 2000));
    }
}

internal sealed class EscalateToSupplierHandler(ICardMallDb db, ICurrentUser currentUser, TicketDesk desk, IOptions<AfterSalesOptions> options)
    : IRequestHandler<EscalateToSupplier, SupplierEscalation>
{
    public async Task<SupplierEscalation> Handle(EscalateToSupplier request, CancellationToken ct)
    {
        var ticket = await desk.LockForStaffAsync(request.TicketNo.Trim(), ct);
        var agent = currentUser.RequireUserId();
        if (await db.SupplierCases.AnyAsync(c => c.TicketId == ticket.Id && c.RepliedAt == null, ct))
            throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Get("Remedies.CaseStillOpen"));

        var suppliers = await (from ti in db.TicketItems
                               join i in db.OrderItems on ti.OrderItemId equals i.Id
                               join k in db.CardKeys on i.CardKeyId equals k.Id
                               join b in db.KeyBatches on k.BatchId equals b.Id
                               where ti.TicketId == ticket.Id
                               select b.SupplierId).Distinct().ToListAsync(ct);
        if (suppliers.Count == 0)
            throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Get("Remedies.NoSupplier"));

        // The ticket moves first (a resolved ticket must be reopened), so a refused move opens no case.
        var now = desk.Now;
        var due = now + options.Value.SupplierCaseDue;
        ticket.EscalateToSupplier(agent, due, now);
        var question = request.Question.Trim();
        foreach (var supplierId in suppliers)
            db.SupplierCases.Add(new SupplierCase(ticket.Id, supplierId, question, agent, now, due));
        return new SupplierEscalation(ticket.No, suppliers.Count, due);
    }
}

public sealed record SupplierEscalation(string TicketNo, int Cases, DateTimeOffset DueAt);
