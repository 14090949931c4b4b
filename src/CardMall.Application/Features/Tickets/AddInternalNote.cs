using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Tickets;
using FluentValidation;
using MediatR;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// A note for colleagues (内部备注): what was checked, what the supplier said on the phone. It never
/// reaches the buyer — not on their page, not in the API, not in a notification; only the assignee
/// hears of it when somebody else wrote it.
/// </summary>
public sealed record AddInternalNote(string TicketNo, string? Note) : ICommand<InternalNoteAdded>
{
    public override string ToString() => $"AddInternalNote({TicketNo})";
}

public sealed class AddInternalNoteValidator : AbstractValidator<AddInternalNote>
{
    public AddInternalNoteValidator()
    {
        RuleFor(x => x.Note).Must(b => !string.IsNullOrWhiteSpace(b)).WithMessage(_ => AppText.Get("Workspace.NoteRequired"))
            .MaximumLength(ReplyAsStaff.MaxLength).WithMessage(_ => AppText.Format("Workspace.ReplyTooLong", ReplyAsStaff.MaxLength));
    }
}

internal sealed class AddInternalNoteHandler(ICurrentUser currentUser, TicketDesk desk) : IRequestHandler<AddInternalNote, InternalNoteAdded>
{
    public async Task<InternalNoteAdded> Handle(AddInternalNote request, CancellationToken ct)
    {
        var ticket = await desk.LockForStaffAsync(request.TicketNo, ct);
        var note = ticket.AddNote(currentUser.RequireUserId(), request.Note!.Trim(), desk.Now);
        return new InternalNoteAdded(ticket.No, note.Id);
    }
}

public sealed record InternalNoteAdded(string TicketNo, Guid MessageId);
