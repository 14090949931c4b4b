using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Tickets;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// The agents' queue (工单队列): by default every ticket that is still somebody's work, the one whose
/// promise runs out first on top. A ticket's next promise is its first response while nobody has
/// answered, then its resolution. Tickets whose clock stands still (waiting on the buyer) come after
/// the running ones: nothing can breach there. Filters combine.
/// </summary>
public sealed record ListTicketQueue(
    bool Mine = false,
    bool Unassigned = false,
    bool Breached = false,
    TicketStatus? Status = null,
    TicketCategory? Category = null,
    TicketPriority? Priority = null,
    string? Sku = null,
    int Page = 1,
    int PageSize = 30) : IRequest<TicketQueue>;

public sealed class ListTicketQueueValidator : AbstractValidator<ListTicketQueue>
{
    public ListTicketQueueValidator()
    {
        RuleFor(x => x.Page).InclusiveBetween(1, 100_000).WithMessage(_ => AppText.Get("Workspace.PageInvalid"));
        RuleFor(x => x.PageSize).InclusiveBetween(1, 200).WithMessage(_ => AppText.Get("Workspace.PageInvalid"));
        RuleFor(x => x.Status).IsInEnum();
        RuleFor(x => x.Category).IsInEnum();
        RuleFor(x => x.Priority).IsInEnum();
        RuleFor(x => x.Sku).MaximumLength(40);
    }
}

internal sealed class ListTicketQueueHandler(ICardMallDb db, ICurrentUser currentUser, TimeProvider clock)
    : IRequestHandler<ListTicketQueue, TicketQueue>
{
    public async Task<TicketQueue> Handle(ListTicketQueue request, CancellationToken ct)
    {
        var me = currentUser.RequireAnyRole(TicketDesk.WorkRoles);
        var now = clock.GetUtcNow();
        var english = VisitorLanguage.IsEnglish;

        var active = TicketLifecycle.ActiveStatuses;
        var tickets = db.Tickets.AsNoTracking();
        // The active statuses are written into the SQL, not sent as a parameter: so the planner sees that the partial
        // index of active tickets (ix_tickets_active) holds every row wanted, and reads the few hundred open tickets
        // instead of the year's hundred thousand.
        tickets = request.Status is { } status ? tickets.Where(t => t.Status == status) : tickets.Where(t => EF.Constant(active).Contains(t.Status));
        if (request.Mine) tickets = tickets.Where(t => t.AssigneeId == me);
        if (request.Unassigned) tickets = tickets.Where(t => t.AssigneeId == null);
        if (request.Category is { } category) tickets = tickets.Where(t => t.Category == category);
        if (request.Priority is { } priority) tickets = tickets.Where(t => t.Priority == priority);
        if (!string.IsNullOrWhiteSpace(request.Sku))
        {
            var sku = request.Sku.Trim().ToUpperInvariant();
            // A bulk ticket has no order of its own: its keys' orders say which products it is about.
            tickets = tickets.Where(t =>
                db.Orders.Any(o => (o.Id == t.OrderId || db.TicketItems.Any(i => i.TicketId == t.Id && i.OrderId == o.Id))
                    && db.Products.Any(p => p.Id == o.ProductId && p.Sku == sku)));
        }
        if (request.Breached)
            // Marked by the SLA watcher, or already past due and not yet seen by it.
            tickets = tickets.Where(t => t.IsBreached || (t.PausedSince == null && EF.Constant(active).Contains(t.Status)
                && (t.FirstRespondedAt == null ? t.FirstResponseDueAt : t.ResolutionDueAt) < now));

        var total = await tickets.CountAsync(ct);
        // The page is picked from the tickets alone, so that only its rows meet the buyers, agents, orders and
        // products: joined before the LIMIT, every active ticket would (a hash over all users on a year of data).
        var page = tickets
            .OrderBy(t => t.PausedSince != null)
            .ThenBy(t => t.FirstRespondedAt == null ? t.FirstResponseDueAt : t.ResolutionDueAt)
            .ThenBy(t => t.CreatedAt)
            .ThenBy(t => t.Id)
            .Skip((request.Page - 1) * request.PageSize).Take(request.PageSize);
        var rows = await (from t in page
                          join b in db.Users on t.BuyerId equals b.Id
                          join a in db.Users on t.AssigneeId equals a.Id into assignees
                          from a in assignees.DefaultIfEmpty()
                          join o in db.Orders on t.OrderId equals o.Id into orders
                          from o in orders.DefaultIfEmpty()
                          join p in db.Products on o.ProductId equals p.Id into orderProducts
                          from p in orderProducts.DefaultIfEmpty()
                          orderby t.PausedSince != null,
                              t.FirstRespondedAt == null ? t.FirstResponseDueAt : t.ResolutionDueAt,
                              t.CreatedAt,
                              t.Id
                          select new
                          {
                              t.No,
                              Buyer = b.DisplayName,
                              BuyerEmail = b.Email,
                              Sku = p == null ? null : p.Sku,
                              ProductZh = p == null ? null : p.NameZh,
                              ProductEn = p == null ? null : p.NameEn,
                              t.IsBulk,
                              t.Category,
                              t.Priority,
                              t.Status,
                              Assignee = a == null ? null : a.DisplayName,
                              t.AssigneeId,
                              t.FirstRespondedAt,
                              t.FirstResponseDueAt,
                              t.ResolutionDueAt,
                              t.PausedSince,
                              t.IsBreached,
                              t.UrgeCount,
                              t.CreatedAt,
                          })
            .ToListAsync(ct);

        var items = rows.Select(r =>
        {
            var dueKind = r.FirstRespondedAt is null ? DueKind.FirstResponse : DueKind.Resolution;
            var dueAt = dueKind == DueKind.FirstResponse ? r.FirstResponseDueAt : r.ResolutionDueAt;
            var isActive = TicketLifecycle.IsActive(r.Status);
            // While the clock stands still the due time is not final: it moves out when the clock runs again.
            TimeSpan? left = r.PausedSince is { } since ? dueAt - since : null;
            return new TicketQueueRow(r.No, string.IsNullOrEmpty(r.Buyer) ? r.BuyerEmail ?? "" : r.Buyer, r.Sku,
                r.Sku is null ? null : english ? r.ProductEn : r.ProductZh, r.IsBulk, r.Category, r.Priority, r.Status,
                r.AssigneeId, r.Assignee, isActive ? dueKind : null, isActive ? dueAt : null, left,
                r.IsBreached || (isActive && r.PausedSince is null && dueAt < now), r.PausedSince is not null && isActive, r.UrgeCount, r.CreatedAt);
        }).ToList();

        var counts = await db.Tickets.Where(t => EF.Constant(active).Contains(t.Status))
            .GroupBy(_ => 1)
            .Select(g => new
            {
                Mine = g.Count(t => t.AssigneeId == me),
                Unassigned = g.Count(t => t.AssigneeId == null),
                Breached = g.Count(t => t.IsBreached || (t.PausedSince == null
                    && (t.FirstRespondedAt == null ? t.FirstResponseDueAt : t.ResolutionDueAt) < now)),
            })
            .FirstOrDefaultAsync(ct);
        var products = await db.Products.AsNoTracking().OrderBy(p => p.Sku)
            .Select(p => new QueueProduct(p.Sku, english ? p.NameEn : p.NameZh)).ToListAsync(ct);

        return new TicketQueue(new Paged<TicketQueueRow>(items, request.Page, request.PageSize, total), products,
            counts?.Mine ?? 0, counts?.Unassigned ?? 0, counts?.Breached ?? 0, me);
    }
}

/// <summary>Which promise a due time is: the first reply, or the fix.</summary>
public enum DueKind
{
    FirstResponse = 0,
    Resolution = 1,
}

/// <summary>
/// One line of the queue. <see cref="DueAt"/> is the next open promise (null once resolved);
/// <see cref="PausedLeft"/> is what was left of it when the clock stopped.
/// </summary>
public sealed record TicketQueueRow(
    string TicketNo, string BuyerName, string? Sku, string? ProductName, bool IsBulk, TicketCategory Category, TicketPriority Priority,
    TicketStatus Status, Guid? AssigneeId, string? AssigneeName, DueKind? DueKind, DateTimeOffset? DueAt, TimeSpan? PausedLeft,
    bool IsBreached, bool IsPaused, int UrgeCount, DateTimeOffset CreatedAt);

public sealed record QueueProduct(string Sku, string Name);

/// <summary>A page of the queue, the products to filter by, and the counts shown on the quick filters (active tickets).</summary>
public sealed record TicketQueue(
    Paged<TicketQueueRow> Rows, IReadOnlyList<QueueProduct> Products, int MineCount, int UnassignedCount, int BreachedCount, Guid Me);
