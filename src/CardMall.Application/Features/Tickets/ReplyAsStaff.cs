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

internal sealed class ReplyAsStaffHandler(ICurrentUser currentUser, TicketDesk desk) : IRequestHandler<ReplyAsStaff, StaffReplied>
{
    public async Task<StaffReplied> Handle(ReplyAsStaff request, CancellationToken ct)
    {
        var ticket = await desk.LockForStaffAsync(request.TicketNo, ct);
        var message = ticket.Reply(currentUser.RequireUserId(), request.Body!.Trim(), request.Then, desk.Now);
        return new StaffReplied(ticket.No, message.Id, ticket.Status, ticket.FirstRespondedAt!.Value);
    }
}

public sealed record StaffReplied(string TicketNo, Guid MessageId, TicketStatus Status, DateTimeOffset FirstRespondedAt);
