using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Audit;
using CardMall.Domain.Common;
using CardMall.Domain.Risk;
using FluentValidation;
using MediatR;

namespace CardMall.Application.Features.Risk;

/// <summary>
/// An operator closes an incident once its remedy is applied. The batch's remaining keys stay frozen:
/// whether they sell again is a separate decision, made on the batches page (unfreeze), once the supplier
/// has answered for them. After closing, new complaints about the batch start counting afresh.
/// </summary>
public sealed record CloseIncident(string IncidentNo) : IAuditedCommand<IncidentClosed>
{
    public AuditNote Audit(IncidentClosed result) => new(AuditActions.IncidentClosed, IncidentNo, "closed");
}

public sealed class CloseIncidentValidator : AbstractValidator<CloseIncident>
{
    public CloseIncidentValidator()
    {
        RuleFor(x => x.IncidentNo).NotEmpty().WithMessage(_ => AppText.Get("Incidents.NotFound"))
            .MaximumLength(24).WithMessage(_ => AppText.Get("Incidents.NotFound"));
    }
}

internal sealed class CloseIncidentHandler(ICardMallDb db, ICurrentUser currentUser, TimeProvider clock) : IRequestHandler<CloseIncident, IncidentClosed>
{
    public async Task<IncidentClosed> Handle(CloseIncident request, CancellationToken ct)
    {
        currentUser.RequireAnyRole(ShopRoles.Operator, ShopRoles.Admin);
        // Locked like the remedy: a close cannot slip in while a remedy is being applied.
        var incident = await db.Locks.LockAsync<Incident, string>(i => i.No, request.IncidentNo.Trim(), ct)
            ?? throw new NotFoundException(AppText.Get("Incidents.NotFound"));
        switch (incident.Status)
        {
            case IncidentStatus.Closed:
                throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Get("Incidents.AlreadyClosed"));
            case IncidentStatus.Open:
                throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Get("Incidents.RemedyFirst"));
        }
        incident.Close(clock.GetUtcNow());
        return new IncidentClosed(incident.No, incident.ClosedAt!.Value);
    }
}

public sealed record IncidentClosed(string IncidentNo, DateTimeOffset ClosedAt);
