using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Common;
using CardMall.Domain.Risk;
using MediatR;

namespace CardMall.Application.Features.Risk;

/// <summary>
/// A staff member has looked at an alert: it leaves the open list, with who and when kept. Pressing it
/// twice (or two people at once) keeps the first acknowledgement.
/// </summary>
public sealed record AcknowledgeRiskAlert(Guid AlertId) : ICommand<RiskAlertAcknowledged>;

internal sealed class AcknowledgeRiskAlertHandler(ICardMallDb db, ICurrentUser currentUser, TimeProvider clock)
    : IRequestHandler<AcknowledgeRiskAlert, RiskAlertAcknowledged>
{
    public async Task<RiskAlertAcknowledged> Handle(AcknowledgeRiskAlert request, CancellationToken ct)
    {
        var me = currentUser.RequireAnyRole([.. ShopRoles.Staff]);
        var alert = await db.Locks.LockAsync<RiskAlert>(request.AlertId, ct)
            ?? throw new NotFoundException(AppText.Get("Risk.AlertNotFound"));
        alert.Acknowledge(me, clock.GetUtcNow());
        return new RiskAlertAcknowledged(alert.Id, alert.AcknowledgedAt!.Value);
    }
}

public sealed record RiskAlertAcknowledged(Guid AlertId, DateTimeOffset AcknowledgedAt);
