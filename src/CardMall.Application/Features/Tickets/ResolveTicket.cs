using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using FluentValidation;
using MediatR;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// An agent settles a ticket. Every resolution names who was responsible (责任界定) and why it
/// happened (归因), from fixed lists the dashboards count. A rejection always tells the buyer why, in the
/// conversation; an optional closing message goes there too. The buyer is told and can rate the help.
/// </summary>
public sealed record ResolveTicket(
    string TicketNo, Responsibility? Responsibility, RootCause? RootCause, TicketResolution? Resolution, string? Reason, string? ClosingMessage)
    : ICommand<TicketResolved>
{
    public const int MaxReasonLength = 1000;

    public override string ToString() => $"ResolveTicket({TicketNo}, {Responsibility}, {RootCause}, {Resolution})";
}

public sealed class ResolveTicketValidator : AbstractValidator<ResolveTicket>
{
    public ResolveTicketValidator()
    {
        RuleFor(x => x.Responsibility).NotNull().WithMessage(_ => AppText.Get("Workspace.ResponsibilityRequired"))
            .IsInEnum().WithMessage(_ => AppText.Get("Workspace.ResponsibilityRequired"));
        RuleFor(x => x.RootCause).NotNull().WithMessage(_ => AppText.Get("Workspace.RootCauseRequired"))
            .IsInEnum().WithMessage(_ => AppText.Get("Workspace.RootCauseRequired"));
        RuleFor(x => x.Resolution).NotNull().WithMessage(_ => AppText.Get("Workspace.ResolutionRequired"))
            .IsInEnum().WithMessage(_ => AppText.Get("Workspace.ResolutionRequired"));
        RuleFor(x => x.Reason).Must(r => !string.IsNullOrWhiteSpace(r)).When(x => x.Resolution == TicketResolution.Rejected)
            .WithMessage(_ => AppText.Get("Workspace.RejectReasonRequired"));
        RuleFor(x => x.Reason).MaximumLength(ResolveTicket.MaxReasonLength)
            .WithMessage(_ => AppText.Format("Workspace.ReasonTooLong", ResolveTicket.MaxReasonLength));
        RuleFor(x => x.ClosingMessage).MaximumLength(ReplyAsStaff.MaxLength)
            .WithMessage(_ => AppText.Format("Workspace.ReplyTooLong", ReplyAsStaff.MaxLength));
    }
}

internal sealed class ResolveTicketHandler(ICurrentUser currentUser, TicketDesk desk) : IRequestHandler<ResolveTicket, TicketResolved>
{
    public async Task<TicketResolved> Handle(ResolveTicket request, CancellationToken ct)
    {
        var ticket = await desk.LockForStaffAsync(request.TicketNo, ct);
        var resolution = request.Resolution!.Value;
        ticket.Resolve(currentUser.RequireUserId(), request.Responsibility!.Value, request.RootCause!.Value, resolution,
            request.Reason?.Trim(), request.ClosingMessage?.Trim(), desk.Now);
        return new TicketResolved(ticket.No, resolution);
    }
}

public sealed record TicketResolved(string TicketNo, TicketResolution Resolution);
