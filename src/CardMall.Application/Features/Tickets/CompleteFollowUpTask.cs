using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// A supervisor closes a follow-up with a note of what was done (called the buyer, offered …), so the
/// next person reading the ticket knows. A task is completed once; a second attempt is told so.
/// </summary>
public sealed record CompleteFollowUpTask(Guid TaskId, string Note) : ICommand<FollowUpCompleted>;

public sealed class CompleteFollowUpTaskValidator : AbstractValidator<CompleteFollowUpTask>
{
    public CompleteFollowUpTaskValidator()
    {
        RuleFor(x => x.Note).Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage(_ => AppText.Get("TicketFollowUps.NoteRequired"))
            .MaximumLength(1000).WithMessage(_ => AppText.Format("TicketFollowUps.NoteTooLong", 1000));
    }
}

internal sealed class CompleteFollowUpTaskHandler(ICardMallDb db, ICurrentUser currentUser, TimeProvider clock)
    : IRequestHandler<CompleteFollowUpTask, FollowUpCompleted>
{
    public async Task<FollowUpCompleted> Handle(CompleteFollowUpTask request, CancellationToken cancellationToken)
    {
        var by = currentUser.RequireAnyRole(ShopRoles.Supervisor, ShopRoles.Admin);
        var task = await db.Locks.LockAsync<FollowUpTask>(request.TaskId, cancellationToken)
                   ?? throw new NotFoundException(AppText.Get("TicketFollowUps.NotFound"));
        if (task.DoneAt is not null)
            throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Get("TicketFollowUps.AlreadyDone"));
        task.Complete(by, request.Note.Trim(), clock.GetUtcNow());
        // A chat's follow-up names the ticket the chat became, if it became one.
        var ticketId = task.TicketId ?? await db.Chats.Where(c => c.Id == task.ChatId).Select(c => c.TicketId).FirstOrDefaultAsync(cancellationToken);
        var ticketNo = ticketId is null ? null : await db.Tickets.Where(t => t.Id == ticketId).Select(t => t.No).FirstAsync(cancellationToken);
        return new FollowUpCompleted(task.Id, ticketNo, task.ChatId, task.DoneAt!.Value);
    }
}

public sealed record FollowUpCompleted(Guid TaskId, string? TicketNo, Guid? ChatId, DateTimeOffset DoneAt);
