using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// One of the caller's tickets as the buyer sees it: the public conversation and timeline only (internal
/// notes and staff-only events never leave the workspace), the keys concerned with their codes masked,
/// the promised times with the buyer's time zone, and what the buyer may do next. Somebody else's
/// ticket is a 404.
/// </summary>
public sealed record GetMyTicket(string TicketNo) : IRequest<MyTicketView>;

internal sealed class GetMyTicketHandler(ICardMallDb db, ICurrentUser currentUser, ICardKeyVault vault, TimeProvider clock,
    IOptions<AfterSalesOptions> options) : IRequestHandler<GetMyTicket, MyTicketView>
{
    public async Task<MyTicketView> Handle(GetMyTicket request, CancellationToken cancellationToken)
    {
        var userId = currentUser.RequireUserId();
        var no = (request.TicketNo ?? "").Trim();
        var ticket = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.No == no && t.BuyerId == userId, cancellationToken)
            ?? throw new NotFoundException(AppText.Get("Tickets.NotFound"));

        var english = VisitorLanguage.IsEnglish;
        var order = ticket.OrderId is null ? null : await (from o in db.Orders
                                                           join p in db.Products on o.ProductId equals p.Id
                                                           where o.Id == ticket.OrderId
                                                           select new { o.No, p.Sku, Name = english ? p.NameEn : p.NameZh, o.PaymentMethod })
            .FirstOrDefaultAsync(cancellationToken);

        var messages = await db.TicketMessages.AsNoTracking()
            .Where(m => m.TicketId == ticket.Id && !m.IsInternal)
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)
            .Select(m => new TicketMessageView(m.Id, m.CreatedAt, m.Author, m.Body))
            .ToListAsync(cancellationToken);

        var events = await db.TicketEvents.AsNoTracking()
            .Where(e => e.TicketId == ticket.Id && e.IsPublic)
            .OrderBy(e => e.Id)
            .Select(e => new TicketEventView(e.At, e.Kind, TicketEventDetail.Read(e.Kind, e.Detail), e.ActorId == null))
            .ToListAsync(cancellationToken);

        // An image attached to an internal note is as internal as the note. The bytes stay in the database.
        var attachments = await (from a in db.TicketAttachments.AsNoTracking()
                                 where a.TicketId == ticket.Id
                                 join m in db.TicketMessages on a.MessageId equals m.Id into owners
                                 from m in owners.DefaultIfEmpty()
                                 where m == null || !m.IsInternal
                                 orderby a.CreatedAt, a.Id
                                 select new TicketAttachmentView(a.Id, a.MessageId, a.FileName, a.ContentType, a.SizeBytes, a.CreatedAt))
            .ToListAsync(cancellationToken);

        var keyRows = await (from i in db.TicketItems
                             where i.TicketId == ticket.Id
                             join oi in db.OrderItems on i.OrderItemId equals oi.Id
                             join o in db.Orders on i.OrderId equals o.Id
                             join k in db.CardKeys on oi.CardKeyId equals k.Id
                             orderby o.No, oi.CreatedAt, oi.Id
                             select new { oi.Id, OrderNo = o.No, Key = k })
            .AsNoTracking().ToListAsync(cancellationToken);
        var keys = keyRows.Select(r => new TicketKeyView(r.Id, r.OrderNo, r.Key.State, CardKeyMask.Mask(vault.Open(r.Key).Code))).ToList();

        var timeZone = await db.Users.Where(u => u.Id == userId).Select(u => u.TimeZoneId).FirstAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var settings = options.Value;
        var nextUrge = ticket.LastUrgedAt is { } last && last + settings.UrgeInterval > now ? last + settings.UrgeInterval : (DateTimeOffset?)null;
        var canReopen = ticket.CanReopen(now, settings.ReopenWindow);
        var reopenUntil = ticket.Status is TicketStatus.Resolved or TicketStatus.Closed && ticket.ResolvedAt is { } resolvedAt
            ? resolvedAt + settings.ReopenWindow : (DateTimeOffset?)null;

        return new MyTicketView(
            ticket.No, ticket.Status, ticket.Priority, ticket.Category, ticket.Description, ticket.Device, ticket.IsBulk, ticket.Channel,
            order?.No, order?.Name, order?.Sku,
            ticket.Responsibility, ticket.RootCause, ticket.Resolution,
            ticket.CreatedAt, ticket.FirstResponseDueAt, ticket.ResolutionDueAt, ticket.FirstRespondedAt, ticket.ResolvedAt, ticket.ClosedAt,
            ticket.IsPaused, ticket.UrgeCount, ticket.LastUrgedAt, ticket.Rating, ticket.RatingComment, ticket.RatedAt, timeZone,
            messages, events, attachments, keys,
            CanUrge: ticket.IsActive && nextUrge is null,
            NextUrgeAt: ticket.IsActive ? nextUrge : null,
            CanRate: ticket.CanRate,
            CanReopen: canReopen,
            ReopenUntil: reopenUntil,
            CanConfirm: ticket.Status == TicketStatus.Resolved,
            CanReply: ticket.IsActive || (ticket.Status == TicketStatus.Resolved && canReopen),
            OrderPayment: order?.PaymentMethod,
            RefundToWallet: ticket.RefundToWallet);
    }
}

public sealed record MyTicketView(
    string TicketNo, TicketStatus Status, TicketPriority Priority, TicketCategory Category, string Description, string? Device,
    bool IsBulk, string Channel,
    string? OrderNo, string? ProductName, string? ProductSku,
    Responsibility? Responsibility, RootCause? RootCause, TicketResolution? Resolution,
    DateTimeOffset CreatedAt, DateTimeOffset FirstResponseDueAt, DateTimeOffset ResolutionDueAt,
    DateTimeOffset? FirstRespondedAt, DateTimeOffset? ResolvedAt, DateTimeOffset? ClosedAt, bool IsPaused,
    int UrgeCount, DateTimeOffset? LastUrgedAt, int? Rating, string? RatingComment, DateTimeOffset? RatedAt,
    string TimeZoneId,
    IReadOnlyList<TicketMessageView> Messages, IReadOnlyList<TicketEventView> Events,
    IReadOnlyList<TicketAttachmentView> Attachments, IReadOnlyList<TicketKeyView> Keys,
    bool CanUrge, DateTimeOffset? NextUrgeAt, bool CanRate, bool CanReopen, DateTimeOffset? ReopenUntil, bool CanConfirm, bool CanReply,
    string? OrderPayment = null, bool RefundToWallet = false)
{
    /// <summary>The order was paid through a gateway, so a refund can go back that way or to the wallet: the buyer chooses.</summary>
    public bool ChoosesRefundDestination => OrderPayment is { } paid && paid != Domain.Orders.Order.WalletPayment && IsActiveStatus(Status);

    private static bool IsActiveStatus(TicketStatus status) => status is not (TicketStatus.Resolved or TicketStatus.Closed);

    public override string ToString() => $"MyTicketView({TicketNo}, {Status})";
}

public sealed record TicketMessageView(Guid MessageId, DateTimeOffset At, MessageAuthor Author, string Body)
{
    public override string ToString() => $"TicketMessageView({MessageId}, {Author})";
}

/// <param name="BySystem">Done by the shop itself (a check, a rule), not by the buyer or an agent.</param>
public sealed record TicketEventView(DateTimeOffset At, string Kind, TicketEventDetail? Detail, bool BySystem = false);

public sealed record TicketAttachmentView(Guid AttachmentId, Guid? MessageId, string FileName, string ContentType, int SizeBytes, DateTimeOffset At);

public sealed record TicketKeyView(Guid ItemId, string OrderNo, CardKeyState State, string MaskedCode);
