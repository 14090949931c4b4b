using CardMall.Application.Abstractions;
using CardMall.Domain.Accounts;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// The caller's own duty switch and skills, for the switch in the staff area's header. Null for anyone
/// without a duty switch (operators, admins, buyers, nobody signed in). Reads only: the profile row is
/// created when the switch is first used.
/// </summary>
public sealed record GetMyDuty : IRequest<AgentDuty?>;

internal sealed class GetMyDutyHandler(ICardMallDb db, ICurrentUser currentUser) : IRequestHandler<GetMyDuty, AgentDuty?>
{
    public async Task<AgentDuty?> Handle(GetMyDuty request, CancellationToken cancellationToken)
    {
        if (currentUser.UserId is not { } userId || !(currentUser.IsInRole(ShopRoles.Agent) || currentUser.IsInRole(ShopRoles.Supervisor)))
            return null;
        var profile = await db.AgentProfiles.AsNoTracking().FirstOrDefaultAsync(p => p.UserId == userId, cancellationToken);
        return profile is null ? new AgentDuty(userId, false, []) : AgentDuty.From(profile);
    }
}
