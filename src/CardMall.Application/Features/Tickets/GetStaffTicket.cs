using CardMall.Application.Abstractions;
using CardMall.Application.Accounts;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Common;
using CardMall.Domain.Orders;
using CardMall.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// Everything an agent needs on one page to settle a ticket without asking the buyer twice: the whole
/// conversation including internal notes, the order with each key's history (发放路径追溯), the buyer and
/// their history, money already paid out, supplier cases, the SLA clock, and the reply templates already
/// filled in for this buyer. Keys are shown masked only; opening them here to mask them is not a reveal
/// and is not recorded as one. The keys (<see cref="StaffKeyHistory"/>), the buyer's history
/// (<see cref="StaffBuyerHistory"/>) and the templates (<see cref="FilledTemplates"/>) are read by their own classes.
/// </summary>
public sealed record GetStaffTicket(string TicketNo) : IRequest<StaffTicket>;

internal sealed class GetStaffTicketHandler(
    ICardMallDb db, ICurrentUser currentUser, StaffKeyHistory keyHistory, StaffBuyerHistory buyerHistory, FilledTemplates templates)
    : IRequestHandler<GetStaffTicket, StaffTicket>
{
    public async Task<StaffTicket> Handle(GetStaffTicket request, CancellationToken ct)
    {
        var me = currentUser.RequireAnyRole(TicketDesk.WorkRoles);
        var english = VisitorLanguage.IsEnglish;
        var ticket = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.No == request.TicketNo, ct)
            ?? throw new NotFoundException(AppText.Get("Tickets.NotFound"));

        var buyer = await db.Users.AsNoTracking().FirstAsync(u => u.Id == ticket.BuyerId, ct);
        var messages = await db.TicketMessages.AsNoTracking().Where(m => m.TicketId == ticket.Id)
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToListAsync(ct);
        var attachments = await db.TicketAttachments.AsNoTracking().Where(a => a.TicketId == ticket.Id)
            .OrderBy(a => a.CreatedAt)
            .Select(a => new StaffAttachment(a.Id, a.MessageId, a.FileName, a.ContentType, a.SizeBytes, a.CreatedAt))
            .ToListAsync(ct);
        var events = await db.TicketEvents.AsNoTracking().Where(e => e.TicketId == ticket.Id)
            .OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync(ct);
        var payouts = await db.Payouts.AsNoTracking().Where(p => p.TicketId == ticket.Id).OrderBy(p => p.RequestedAt).ToListAsync(ct);
        var cases = await (from c in db.SupplierCases.AsNoTracking()
                           join s in db.Suppliers on c.SupplierId equals s.Id
                           where c.TicketId == ticket.Id
                           orderby c.OpenedAt
                           select new { Case = c, Supplier = s.Name }).ToListAsync(ct);

        var ticketItemIds = await db.TicketItems.Where(i => i.TicketId == ticket.Id).Select(i => i.OrderItemId).ToListAsync(ct);
        var order = ticket.OrderId is { } orderId
            ? await db.Orders.AsNoTracking().Include(o => o.Items).FirstAsync(o => o.Id == orderId, ct)
            : null;
        var keys = await keyHistory.ReadAsync(order, ticketItemIds, ct);

        var history = await buyerHistory.ReadAsync(buyer, ticket, english, ct);

        var names = await db.StaffNamesAsync(
            messages.Select(m => m.AuthorId)
                .Concat(events.Select(e => e.ActorId))
                .Concat(payouts.SelectMany(p => new[] { (Guid?)p.RequestedBy, p.DecidedBy }))
                .Concat(cases.SelectMany(c => new[] { (Guid?)c.Case.OpenedBy, c.Case.RecordedBy }))
                .Append(ticket.AssigneeId), ct);
        string? NameOf(Guid? id) => id is { } v && names.TryGetValue(v, out var n) ? n : null;

        var isSupervisor = currentUser.IsInRole(ShopRoles.Supervisor) || currentUser.IsInRole(ShopRoles.Admin);
        var product = order is null ? null : await db.Products.AsNoTracking().Where(p => p.Id == order.ProductId)
            .Select(p => new { p.Sku, Name = english ? p.NameEn : p.NameZh }).FirstAsync(ct);

        var view = new StaffTicket(
            new StaffTicketSummary(ticket.No, ticket.Status, ticket.Priority, ticket.Category, ticket.Channel, ticket.IsBulk,
                ticket.Description, ticket.Device, ticket.AssigneeId, NameOf(ticket.AssigneeId), ticket.CreatedAt, ticket.UpdatedAt,
                ticket.Responsibility, ticket.RootCause, ticket.Resolution, ticket.ResolutionNote, ticket.UrgeCount, ticket.LastUrgedAt,
                ticket.ReopenCount, ticket.Rating, ticket.RatingComment, ticket.RatedAt),
            new StaffSla(ticket.FirstResponseDueAt, ticket.FirstRespondedAt, ticket.ResolutionDueAt, ticket.ResolvedAt, ticket.ClosedAt,
                ticket.PausedSince, TimeSpan.FromSeconds(ticket.PausedSeconds), ticket.IsBreached, ticket.FirstResponseBreachedAt,
                ticket.ResolutionBreachedAt, ticket.FirstResponseTargetMinutes, ticket.ResolutionTargetMinutes),
            messages.Select(m => new StaffMessage(m.Id, m.Author, m.Author == MessageAuthor.Buyer ? BuyerName(buyer) : NameOf(m.AuthorId),
                m.Body, m.IsInternal, m.CreatedAt)).ToList(),
            attachments,
            order is null || product is null ? null : new StaffOrder(order.No, product.Sku, product.Name, order.Quantity, order.UnitPrice,
                order.Total, order.RefundedAmount, order.Status, order.Channel, order.NoticesVersion, order.CreatedAt),
            keys.Select(k => k.View).ToList(),
            new StaffBuyer(buyer.Id, BuyerName(buyer), buyer.Email ?? "", buyer.Tier, buyer.CreatedAt, history.DedicatedAgent, buyer.TimeZoneId,
                VisitorLanguage.Of(buyer.PreferredCulture).Name),
            history.Orders,
            history.Tickets,
            events.Select(e => new StaffTicketEvent(e.At, e.Kind, NameOf(e.ActorId), e.Details, e.IsPublic,
                e.Details is AssigneeDetail assigned ? NameOf(assigned.AgentId) : null)).ToList(),
            payouts.Select(p => new StaffPayout(p.Kind, p.Amount, p.Status, p.Reason, NameOf(p.RequestedBy) ?? "", p.RequestedAt,
                NameOf(p.DecidedBy), p.DecidedAt, p.DecisionNote)).ToList(),
            cases.Select(c => new StaffSupplierCase(c.Supplier, c.Case.Question, NameOf(c.Case.OpenedBy) ?? "", c.Case.OpenedAt, c.Case.DueAt,
                c.Case.Reply, c.Case.RepliedAt)).ToList(),
            await templates.ForAsync(ticket, buyer, order, keys.Select(k => k.View).OrderByDescending(k => k.OnTicket).FirstOrDefault(), ct),
            isSupervisor ? await AssigneesAsync(ct) : [],
            me,
            CanClaim: ticket.IsActive && ticket.AssigneeId != me && (ticket.AssigneeId is null || isSupervisor),
            CanReassign: isSupervisor && ticket.IsActive);
        return view;
    }

    internal static string BuyerName(ShopUser u) => string.IsNullOrEmpty(u.DisplayName) ? u.Email ?? "" : u.DisplayName;



    private async Task<IReadOnlyList<AssigneeOption>> AssigneesAsync(CancellationToken ct)
    {
        string[] roles = [ShopRoles.Agent, ShopRoles.Supervisor];
        var active = TicketLifecycle.ActiveStatuses;
        return await (from u in db.Users.AsNoTracking()
                      where (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == u.Id && roles.Contains(r.Name!) select ur).Any()
                      join a in db.AgentProfiles on u.Id equals a.UserId into profiles
                      from a in profiles.DefaultIfEmpty()
                      orderby u.DisplayName, u.Email
                      select new AssigneeOption(u.Id, u.DisplayName == "" ? u.Email ?? "" : u.DisplayName, a != null && a.OnDuty,
                          db.Tickets.Count(t => t.AssigneeId == u.Id && active.Contains(t.Status))))
            .ToListAsync(ct);
    }


}

public sealed record StaffTicket(
    StaffTicketSummary Ticket,
    StaffSla Sla,
    IReadOnlyList<StaffMessage> Conversation,
    IReadOnlyList<StaffAttachment> Attachments,
    StaffOrder? Order,
    IReadOnlyList<StaffKey> Keys,
    StaffBuyer Buyer,
    IReadOnlyList<BuyerOrderLine> OtherOrders,
    IReadOnlyList<BuyerTicketLine> OtherTickets,
    IReadOnlyList<StaffTicketEvent> Timeline,
    IReadOnlyList<StaffPayout> Payouts,
    IReadOnlyList<StaffSupplierCase> SupplierCases,
    IReadOnlyList<FilledTemplate> Templates,
    IReadOnlyList<AssigneeOption> Assignees,
    Guid Me,
    bool CanClaim,
    bool CanReassign)
{
    public override string ToString() => $"StaffTicket({Ticket.TicketNo})";
}

public sealed record StaffTicketSummary(
    string TicketNo, TicketStatus Status, TicketPriority Priority, TicketCategory Category, string Channel, bool IsBulk,
    string Description, string? Device, Guid? AssigneeId, string? AssigneeName, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    Responsibility? Responsibility, RootCause? RootCause, TicketResolution? Resolution, string? ResolutionNote,
    int UrgeCount, DateTimeOffset? LastUrgedAt, int ReopenCount, int? Rating, string? RatingComment, DateTimeOffset? RatedAt)
{
    public bool IsActive => TicketLifecycle.IsActive(Status);
}

/// <summary>The SLA clock as it stands: promises, when they were kept, and whether it is stopped.</summary>
public sealed record StaffSla(
    DateTimeOffset FirstResponseDueAt, DateTimeOffset? FirstRespondedAt, DateTimeOffset ResolutionDueAt, DateTimeOffset? ResolvedAt,
    DateTimeOffset? ClosedAt, DateTimeOffset? PausedSince, TimeSpan PausedTotal, bool IsBreached, DateTimeOffset? FirstResponseBreachedAt,
    DateTimeOffset? ResolutionBreachedAt, int FirstResponseTargetMinutes, int ResolutionTargetMinutes)
{
    public bool IsPaused => PausedSince is not null;
}

public sealed record StaffMessage(Guid Id, MessageAuthor Author, string? AuthorName, string Body, bool IsInternal, DateTimeOffset At);

public sealed record StaffAttachment(Guid Id, Guid? MessageId, string FileName, string ContentType, int SizeBytes, DateTimeOffset At);

public sealed record StaffOrder(
    string OrderNo, string Sku, string ProductName, int Quantity, decimal UnitPrice, decimal Total, decimal RefundedAmount,
    OrderStatus Status, string Channel, int NoticesVersion, DateTimeOffset CreatedAt);

/// <summary>A timeline event for staff; an assignment names the agent it went to (<paramref name="AssigneeName"/>).</summary>
public sealed record StaffTicketEvent(DateTimeOffset At, string Kind, string? Actor, TicketEventDetail? Detail, bool IsPublic, string? AssigneeName = null);

public sealed record StaffPayout(
    PayoutKind Kind, decimal Amount, PayoutStatus Status, string Reason, string RequestedBy, DateTimeOffset RequestedAt,
    string? DecidedBy, DateTimeOffset? DecidedAt, string? DecisionNote);

public sealed record StaffSupplierCase(
    string Supplier, string Question, string OpenedBy, DateTimeOffset OpenedAt, DateTimeOffset DueAt, string? Reply, DateTimeOffset? RepliedAt)
{
    public bool IsOpen => RepliedAt is null;
}

public sealed record AssigneeOption(Guid UserId, string Name, bool OnDuty, int ActiveTickets);

internal static class StaffNames
{
    /// <summary>The names staff pages show for people (display name, or e-mail when there is none).</summary>
    public static async Task<Dictionary<Guid, string>> StaffNamesAsync(this ICardMallDb db, IEnumerable<Guid?> ids, CancellationToken ct)
    {
        var wanted = ids.OfType<Guid>().Distinct().ToList();
        if (wanted.Count == 0) return [];
        return await db.Users.AsNoTracking().Where(u => wanted.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.DisplayName == "" ? u.Email ?? "" : u.DisplayName, ct);
    }
}
