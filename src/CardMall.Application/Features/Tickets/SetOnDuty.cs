using CardMall.Application.Abstractions;
using CardMall.Domain.Accounts;
using CardMall.Domain.Tickets;
using MediatR;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// An agent (or supervisor) goes on or off duty — only agents on duty get new tickets. Everyone switches
/// their own; a supervisor or admin can switch anyone's (<see cref="AgentId"/>), e.g. for someone who went
/// home with the switch on. Tickets already assigned stay where they are.
/// </summary>
public sealed record SetOnDuty(bool OnDuty, Guid? AgentId = null) : ICommand<AgentDuty>;

internal sealed class SetOnDutyHandler(ICardMallDb db, ICurrentUser currentUser, TimeProvider clock) : IRequestHandler<SetOnDuty, AgentDuty>
{
    public async Task<AgentDuty> Handle(SetOnDuty request, CancellationToken cancellationToken)
    {
        var caller = currentUser.RequireAnyRole(TicketDesk.WorkRoles);
        var agentId = request.AgentId ?? caller;
        if (agentId != caller) currentUser.RequireAnyRole(ShopRoles.Supervisor, ShopRoles.Admin);

        var now = clock.GetUtcNow();
        var profile = await db.LockOrCreateAgentProfileAsync(agentId, now, cancellationToken);
        profile.OnDuty = request.OnDuty;
        profile.UpdatedAt = now;
        return AgentDuty.From(profile);
    }
}

public sealed record AgentDuty(Guid UserId, bool OnDuty, IReadOnlyList<TicketCategory> Skills)
{
    internal static AgentDuty From(AgentProfile p) => new(p.UserId, p.OnDuty, [.. p.Skills]);
}
