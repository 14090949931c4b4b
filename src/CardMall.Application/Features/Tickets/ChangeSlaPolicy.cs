using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Audit;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// A supervisor (or admin) changes the targets of one priority. Tickets keep the due times they were
/// promised; only tickets filed afterwards get the new targets.
/// </summary>
public sealed record ChangeSlaPolicy(TicketPriority Priority, int FirstResponseMinutes, int ResolutionMinutes) : IAuditedCommand<SlaPolicyView>
{
    public AuditNote Audit(SlaPolicyView result) => new(AuditActions.SlaPolicyChanged, Priority.ToString(), $"first response {FirstResponseMinutes} min, resolution {ResolutionMinutes} min");
}

public sealed class ChangeSlaPolicyValidator : AbstractValidator<ChangeSlaPolicy>
{
    /// <summary>30 days: a longer promise is no promise, and the watcher's arithmetic stays far from overflow.</summary>
    public const int MaxMinutes = 30 * 24 * 60;

    public ChangeSlaPolicyValidator()
    {
        RuleFor(x => x.Priority).IsInEnum().WithMessage(_ => AppText.Get("TicketSla.PriorityUnknown"));
        RuleFor(x => x.FirstResponseMinutes).InclusiveBetween(1, MaxMinutes)
            .WithMessage(_ => AppText.Format("TicketSla.MinutesRange", MaxMinutes));
        RuleFor(x => x.ResolutionMinutes).InclusiveBetween(1, MaxMinutes)
            .WithMessage(_ => AppText.Format("TicketSla.MinutesRange", MaxMinutes))
            .GreaterThanOrEqualTo(x => x.FirstResponseMinutes)
            .WithMessage(_ => AppText.Get("TicketSla.ResolutionBeforeResponse"));
    }
}

internal sealed class ChangeSlaPolicyHandler(ICardMallDb db, ICurrentUser currentUser, TimeProvider clock)
    : IRequestHandler<ChangeSlaPolicy, SlaPolicyView>
{
    public async Task<SlaPolicyView> Handle(ChangeSlaPolicy request, CancellationToken cancellationToken)
    {
        var by = currentUser.RequireAnyRole(ShopRoles.Supervisor, ShopRoles.Admin);
        var policy = await db.SlaPolicies.FirstOrDefaultAsync(p => p.Priority == request.Priority, cancellationToken)
            ?? throw new NotFoundException(AppText.Get("TicketSla.PriorityUnknown"));
        policy.Change(request.FirstResponseMinutes, request.ResolutionMinutes, by, clock.GetUtcNow());
        var name = await db.Users.Where(u => u.Id == by).Select(u => u.DisplayName).FirstOrDefaultAsync(cancellationToken);
        return new SlaPolicyView(policy.Priority, policy.FirstResponseMinutes, policy.ResolutionMinutes, policy.UpdatedAt, name);
    }
}
