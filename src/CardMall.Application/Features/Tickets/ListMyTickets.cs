using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Tickets;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// The caller's tickets, newest first, a page at a time: what each is about, where it stands, and the
/// times promised — with the buyer's own time zone, in which the page shows those times.
/// </summary>
public sealed record ListMyTickets(int Page, int PageSize = 20) : IRequest<MyTicketList>;

public sealed class ListMyTicketsValidator : AbstractValidator<ListMyTickets>
{
    public ListMyTicketsValidator()
    {
        RuleFor(x => x.Page).InclusiveBetween(1, 100_000);
        RuleFor(x => x.PageSize).InclusiveBetween(1, 100);
    }
}

internal sealed class ListMyTicketsHandler(ICardMallDb db, ICurrentUser currentUser) : IRequestHandler<ListMyTickets, MyTicketList>
{
    public async Task<MyTicketList> Handle(ListMyTickets request, CancellationToken cancellationToken)
    {
        var userId = currentUser.RequireUserId();
        var english = VisitorLanguage.IsEnglish;
        var mine = db.Tickets.AsNoTracking().Where(t => t.BuyerId == userId);
        var total = await mine.CountAsync(cancellationToken);
        var rows = await (from t in mine
                          join o in db.Orders on t.OrderId equals o.Id into orders
                          from o in orders.DefaultIfEmpty()
                          join p in db.Products on o.ProductId equals p.Id into products
                          from p in products.DefaultIfEmpty()
                          orderby t.CreatedAt descending, t.No
                          select new
                          {
                              t.Id,
                              t.No,
                              t.Status,
                              t.Priority,
                              t.Category,
                              t.IsBulk,
                              OrderNo = o == null ? null : o.No,
                              ProductName = p == null ? null : english ? p.NameEn : p.NameZh,
                              t.CreatedAt,
                              t.FirstResponseDueAt,
                              t.ResolutionDueAt,
                              t.FirstRespondedAt,
                              t.ResolvedAt,
                              t.UrgeCount,
                              t.LastUrgedAt,
                              t.Rating,
                          })
            .Skip((request.Page - 1) * request.PageSize).Take(request.PageSize)
            .ToListAsync(cancellationToken);

        var ids = rows.Select(r => r.Id).ToList();
        var keyCounts = await db.TicketItems.Where(i => ids.Contains(i.TicketId))
            .GroupBy(i => i.TicketId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        // "New reply" means support spoke last in the public conversation: the buyer has something to read.
        var lastWords = await db.TicketMessages.Where(m => ids.Contains(m.TicketId) && !m.IsInternal)
            .GroupBy(m => m.TicketId)
            .Select(g => new
            {
                g.Key,
                Staff = g.Where(m => m.Author == MessageAuthor.Staff).Max(m => (DateTimeOffset?)m.CreatedAt),
                Buyer = g.Where(m => m.Author == MessageAuthor.Buyer).Max(m => (DateTimeOffset?)m.CreatedAt),
            })
            .ToDictionaryAsync(g => g.Key, cancellationToken);
        var links = rows.Select(r => TicketDesk.BuyerLink(r.No)).ToList();
        var unread = await db.Notifications.Where(n => n.UserId == userId && n.ReadAt == null && n.Link != null && links.Contains(n.Link))
            .GroupBy(n => n.Link!).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var timeZone = await db.Users.Where(u => u.Id == userId).Select(u => u.TimeZoneId).FirstAsync(cancellationToken);

        var items = rows.Select(r =>
        {
            var words = lastWords.GetValueOrDefault(r.Id);
            var newReply = words?.Staff is { } staff && (words.Buyer is not { } buyer || staff > buyer);
            return new MyTicketRow(r.No, r.Status, r.Priority, r.Category, r.IsBulk, r.OrderNo, r.ProductName,
                keyCounts.GetValueOrDefault(r.Id), r.CreatedAt, r.FirstResponseDueAt, r.ResolutionDueAt, r.FirstRespondedAt, r.ResolvedAt,
                r.UrgeCount, r.LastUrgedAt, r.Rating, newReply, unread.GetValueOrDefault(TicketDesk.BuyerLink(r.No)));
        }).ToList();
        return new MyTicketList(new Paged<MyTicketRow>(items, request.Page, request.PageSize, total), timeZone);
    }
}

public sealed record MyTicketList(Paged<MyTicketRow> Tickets, string TimeZoneId);

/// <summary>One line of "my tickets". <see cref="UnreadUpdates"/> counts unread notifications about it.</summary>
public sealed record MyTicketRow(
    string TicketNo, TicketStatus Status, TicketPriority Priority, TicketCategory Category, bool IsBulk,
    string? OrderNo, string? ProductName, int KeyCount,
    DateTimeOffset CreatedAt, DateTimeOffset FirstResponseDueAt, DateTimeOffset ResolutionDueAt,
    DateTimeOffset? FirstRespondedAt, DateTimeOffset? ResolvedAt,
    int UrgeCount, DateTimeOffset? LastUrgedAt, int? Rating, bool NewReply, int UnreadUpdates);
