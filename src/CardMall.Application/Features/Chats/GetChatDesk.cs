using CardMall.Application.Abstractions;
using CardMall.Domain.Accounts;
using CardMall.Domain.Chats;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CardMall.Application.Features.Chats;

/// <summary>
/// The agent console's left side: the agent's own availability and chat limit, the chats offered to them or theirs
/// now (several at once), and the colleagues on duty (who a chat can be transferred to, with their load and limit).
/// Supervisors get the floor as well (<see cref="ChatFloor"/>): the live queue and every active chat, to take over or join.
/// </summary>
public sealed record GetChatDesk : IRequest<ChatDeskView>;

public sealed record ChatDeskView(AgentAvailability Availability, int ChatLimit, int OfferTimeoutSeconds, IReadOnlyList<DeskChat> Mine,
    IReadOnlyList<DeskAgent> Agents, ChatFloor? Floor);

/// <param name="Status">The chat's own status (Offered for an offer still to accept).</param>
public sealed record DeskChat(Guid ChatId, ChatStatus Status, string Buyer, string Culture, DateTimeOffset StartedAt, DateTimeOffset? OfferedAt,
    int LastSeq, int AgentReadSeq, string? Agent);

public sealed record DeskAgent(Guid UserId, string Name, AgentAvailability Availability, int Load, int Limit);

/// <param name="LongestWait">The wait of the first chat in the queue (zero when nobody waits).</param>
public sealed record ChatFloor(IReadOnlyList<FloorWaiting> Waiting, TimeSpan LongestWait, IReadOnlyList<DeskChat> Active);

public sealed record FloorWaiting(Guid ChatId, int Position, string Buyer, TimeSpan Waited, int? EstimatedWaitSeconds, string? OfferedTo);

internal sealed class GetChatDeskHandler(ICardMallDb db, ICurrentUser currentUser, ChatDesk desk, IMediator mediator, IOptions<ChatOptions> options)
    : IRequestHandler<GetChatDesk, ChatDeskView>
{
    public async Task<ChatDeskView> Handle(GetChatDesk request, CancellationToken ct)
    {
        var me = currentUser.RequireAnyRole(ChatDesk.WorkRoles);
        var profile = await db.AgentProfiles.AsNoTracking().FirstOrDefaultAsync(a => a.UserId == me, ct);
        var mine = await ChatsAsync(c => c.AgentId == me && (c.Status == ChatStatus.Offered || c.Status == ChatStatus.Active), ct);
        var agents = await (from a in db.AgentProfiles.AsNoTracking()
                            join u in db.Users on a.UserId equals u.Id
                            where a.OnDuty && a.Availability != AgentAvailability.Offline
                            orderby u.DisplayName
                            select new DeskAgent(a.UserId, u.DisplayName == "" ? u.Email! : u.DisplayName, a.Availability,
                                db.Chats.Count(c => c.AgentId == a.UserId && (c.Status == ChatStatus.Offered || c.Status == ChatStatus.Active)), a.ChatLimit))
            .ToListAsync(ct);

        ChatFloor? floor = null;
        if (desk.IsSupervisor)
        {
            var waiting = await mediator.Send(new ListWaitingChats(200), ct);
            var ids = waiting.Select(w => w.BuyerId).Concat(waiting.Select(w => w.OfferedTo ?? Guid.Empty)).Distinct().ToList();
            var names = await db.Users.Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName == "" ? u.Email! : u.DisplayName, ct);
            var active = await ChatsAsync(c => c.Status == ChatStatus.Active && c.AgentId != me, ct);
            floor = new ChatFloor(
                [.. waiting.Select(w => new FloorWaiting(w.ChatId, w.Position, names.GetValueOrDefault(w.BuyerId, "?"), w.Waited, w.EstimatedWaitSeconds,
                    w.OfferedTo is { } o ? names.GetValueOrDefault(o) : null))],
                waiting.Count == 0 ? TimeSpan.Zero : waiting.Max(w => w.Waited), active);
        }
        return new ChatDeskView(profile?.Availability ?? AgentAvailability.Offline, profile?.ChatLimit ?? Domain.Tickets.AgentProfile.DefaultChatLimit,
            (int)options.Value.OfferTimeout.TotalSeconds, mine, agents, floor);
    }

    private async Task<List<DeskChat>> ChatsAsync(System.Linq.Expressions.Expression<Func<Chat, bool>> which, CancellationToken ct) =>
        await (from c in db.Chats.AsNoTracking().Where(which)
               join b in db.Users on c.BuyerId equals b.Id
               join a in db.Users on c.AgentId equals a.Id into agents
               from a in agents.DefaultIfEmpty()
               orderby c.QueuedAt
               select new DeskChat(c.Id, c.Status, b.DisplayName == "" ? b.Email! : b.DisplayName, c.Culture, c.CreatedAt, c.OfferedAt, c.LastSeq,
                   c.AgentReadSeq, a == null ? null : a.DisplayName))
            .Take(100).ToListAsync(ct);
}
