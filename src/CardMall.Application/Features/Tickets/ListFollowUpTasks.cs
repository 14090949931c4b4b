using CardMall.Application.Abstractions;
using CardMall.Domain.Accounts;
using CardMall.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// Supervisors' follow-ups (回访): the open ones oldest first — a buyer who rated 1 or 2 should hear back
/// soon, whether they rated a ticket or a live chat — or, with <see cref="Done"/>, the 50 completed most recently with what was done.
/// </summary>
public sealed record ListFollowUpTasks(bool Done = false) : IRequest<IReadOnlyList<FollowUpTaskView>>;

internal sealed class ListFollowUpTasksHandler(ICardMallDb db, ICurrentUser currentUser)
    : IRequestHandler<ListFollowUpTasks, IReadOnlyList<FollowUpTaskView>>
{
    public async Task<IReadOnlyList<FollowUpTaskView>> Handle(ListFollowUpTasks request, CancellationToken cancellationToken)
    {
        currentUser.RequireAnyRole(ShopRoles.Supervisor, ShopRoles.Admin);
        var tasks = db.FollowUpTasks.AsNoTracking().Where(f => request.Done ? f.DoneAt != null : f.DoneAt == null);
        tasks = request.Done ? tasks.OrderByDescending(f => f.DoneAt).Take(50) : tasks.OrderBy(f => f.CreatedAt).Take(500);
        var ofTickets = from f in tasks
                        join t in db.Tickets on f.TicketId equals (Guid?)t.Id
                        join b in db.Users on t.BuyerId equals b.Id
                        join a in db.Users on t.AssigneeId equals (Guid?)a.Id into assignees
                        from a in assignees.DefaultIfEmpty()
                        join d in db.Users on f.DoneBy equals (Guid?)d.Id into doers
                        from d in doers.DefaultIfEmpty()
                        select new FollowUpTaskView(f.Id, t.No, null, f.Reason, t.Category, t.Status, t.Rating, t.RatingComment, t.RatedAt,
                            b.DisplayName, a == null ? null : a.DisplayName, f.CreatedAt, f.DoneAt, d == null ? null : d.DisplayName, f.Note);
        // A chat's follow-up: the agent who answered it, and the ticket it became if it became one.
        var ofChats = from f in tasks
                      join c in db.Chats on f.ChatId equals (Guid?)c.Id
                      join b in db.Users on c.BuyerId equals b.Id
                      join a in db.Users on c.AgentId equals (Guid?)a.Id into agents
                      from a in agents.DefaultIfEmpty()
                      join t in db.Tickets on c.TicketId equals (Guid?)t.Id into tickets
                      from t in tickets.DefaultIfEmpty()
                      join d in db.Users on f.DoneBy equals (Guid?)d.Id into doers
                      from d in doers.DefaultIfEmpty()
                      select new FollowUpTaskView(f.Id, t == null ? null : t.No, c.Id, f.Reason, c.Skill, null, c.Rating, c.RatingComment, f.CreatedAt,
                          b.DisplayName, a == null ? null : a.DisplayName, f.CreatedAt, f.DoneAt, d == null ? null : d.DisplayName, f.Note);
        var list = (await ofTickets.ToListAsync(cancellationToken)).Concat(await ofChats.ToListAsync(cancellationToken));
        return request.Done ? [.. list.OrderByDescending(f => f.DoneAt)] : [.. list.OrderBy(f => f.CreatedAt)];
    }
}

/// <summary>A follow-up of a ticket (<see cref="TicketNo"/>) or of a live chat (<see cref="ChatId"/>; its ticket number when it became one).</summary>
public sealed record FollowUpTaskView(Guid TaskId, string? TicketNo, Guid? ChatId, string Reason, TicketCategory? Category, TicketStatus? Status,
    int? Rating, string? RatingComment, DateTimeOffset? RatedAt, string BuyerName, string? AssigneeName,
    DateTimeOffset CreatedAt, DateTimeOffset? DoneAt, string? DoneBy, string? Note);
