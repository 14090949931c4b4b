using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using FluentValidation;
using MediatR;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// An agent answers the buyer publicly. The first such answer stops the first-response clock. A new
/// ticket becomes Open; "reply and wait for the buyer" moves it to Waiting on buyer, which stops the
/// SLA clock until the buyer answers. The buyer is told in the app and by e-mail.
/// </summary>
public sealed record ReplyAsStaff(string TicketNo, string? Body, TicketStatus? Then = null) : ICommand<StaffReplied>
{
    public const int MaxLength = 8000;

    public override string ToString() => $"ReplyAsStaff({TicketNo}, {Then})";
}

public sealed class ReplyAsStaffValidator : AbstractValidator<ReplyAsStaff>
{
    public ReplyAsStaffValidator()
    {
        RuleFor(x => x.Body).Must(b => !string.IsNullOrWhiteSpace(b)).WithMessage(_ => AppText.Get("Workspace.ReplyRequired"))
            .MaximumLength(ReplyAsStaff.MaxLength).WithMessage(_ => AppText.Format("Workspace.ReplyTooLong", ReplyAsStaff.MaxLength));
        RuleFor(x => x.Then).Must(s => s is null or TicketStatus.Open or TicketStatus.WaitingOnBuyer)
            .WithMessage(_ => AppText.Get("Workspace.ReplyNextStatus"));
    }
}

internal sealed class ReplyAsStaffHandler(ICardMallDb db, ICurrentUser currentUser, TicketDesk desk)
    : IRequestHandler<ReplyAsStaff, StaffReplied>
{
    public async Task<StaffReplied> Handle(ReplyAsStaff request, CancellationToken ct)
    {
        var ticket = await desk.LockForStaffAsync(request.TicketNo, ct);
        var me = currentUser.RequireUserId();
        // A resolved ticket is answered by reopening it first, so the buyer's timeline stays truthful.
        if (!ticket.IsActive)
            throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Get("Workspace.ReplyInactive"));

        var now = desk.Now;
        var message = new TicketMessage(ticket.Id, MessageAuthor.Staff, me, request.Body!.Trim(), isInternal: false, now);
        db.TicketMessages.Add(message);
        ticket.RecordStaffReply(now);
        desk.Record(ticket, TicketEventKinds.Replied, null, isPublic: true);
        // Whoever answers an unclaimed ticket owns it from now on: the buyer expects that same person next time.
        if (ticket.AssigneeId is null)
        {
            ticket.AssignTo(me, now);
            desk.Record(ticket, TicketEventKinds.Assigned, me.ToString(), isPublic: false);
        }

        var then = request.Then ?? (ticket.Status == TicketStatus.New ? TicketStatus.Open : ticket.Status);
        if (then != ticket.Status) desk.Move(ticket, then, notifyBuyer: false);
        desk.NotifyBuyer(ticket, "TicketReplied");
        return new StaffReplied(ticket.No, message.Id, ticket.Status, ticket.FirstRespondedAt!.Value);
    }
}

public sealed record StaffReplied(string TicketNo, Guid MessageId, TicketStatus Status, DateTimeOffset FirstRespondedAt);
