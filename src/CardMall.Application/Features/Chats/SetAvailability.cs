using CardMall.Application.Abstractions;
using CardMall.Application.Features.Tickets;
using CardMall.Domain.Accounts;
using CardMall.Domain.Chats;
using MediatR;

namespace CardMall.Application.Features.Chats;

/// <summary>
/// An agent sets their availability (online takes chats and tickets, away only tickets, offline nothing); a
/// supervisor may set anybody's and change their concurrent-chat limit. Chats already taken stay with the agent.
/// </summary>
public sealed record SetAvailability(AgentAvailability Availability, Guid? AgentId = null, int? ChatLimit = null) : ICommand<AgentAvailability>;

internal sealed class SetAvailabilityHandler(ICardMallDb db, ICurrentUser currentUser, TimeProvider clock) : IRequestHandler<SetAvailability, AgentAvailability>
{
    public async Task<AgentAvailability> Handle(SetAvailability request, CancellationToken ct)
    {
        var me = currentUser.RequireAnyRole(ShopRoles.TicketWork);
        var agentId = request.AgentId ?? me;
        if (agentId != me || request.ChatLimit is not null) currentUser.RequireAnyRole(ShopRoles.Supervisor, ShopRoles.Admin);
        var profile = await db.LockOrCreateAgentProfileAsync(agentId, clock.GetUtcNow(), ct);
        profile.SetAvailability(request.Availability);
        if (request.ChatLimit is { } limit) profile.SetChatLimit(limit);
        profile.UpdatedAt = clock.GetUtcNow();
        return profile.Availability;
    }
}
