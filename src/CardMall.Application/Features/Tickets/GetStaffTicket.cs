using CardMall.Application.Abstractions;
using CardMall.Application.Accounts;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Common;
using CardMall.Domain.Orders;
using CardMall.Domain.Tickets;
using CardMall.Domain.Verification;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// Everything an agent needs on one page to settle a ticket without asking the buyer twice: the whole
/// conversation including internal notes, the order with each key's history (发放路径追溯), the buyer and
/// their history, money already paid out, supplier cases, the SLA clock, and the reply templates already
/// filled in for this buyer. Keys are shown masked only; opening them here to mask them is not a reveal
/// and is not recorded as one.
/// </summary>
public sealed record GetStaffTicket(string TicketNo) : IRequest<StaffTicket>;

internal sealed class GetStaffTicketHandler(ICardMallDb db, ICurrentUser currentUser, ICardKeyVault vault)
    : IRequestHandler<GetStaffTicket, StaffTicket>
{
    private const int HistoryLength = 10;

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
        var keys = await KeysAsync(ticket, order, ticketItemIds, ct);

        var dedicated = await (from d in db.DedicatedAgents
                               join u in db.Users on d.AgentId equals u.Id
                               where d.BuyerId == buyer.Id
                               select u.DisplayName).FirstOrDefaultAsync(ct);
        var otherOrders = await (from o in db.Orders.AsNoTracking()
                                 join p in db.Products on o.ProductId equals p.Id
                                 where o.UserId == buyer.Id && o.Id != ticket.OrderId
                                 orderby o.CreatedAt descending
                                 select new BuyerOrderLine(o.No, english ? p.NameEn : p.NameZh, o.Quantity, o.Total, o.RefundedAmount, o.Status, o.CreatedAt))
            .Take(HistoryLength).ToListAsync(ct);
        var otherTickets = await db.Tickets.AsNoTracking()
            .Where(t => t.BuyerId == buyer.Id && t.Id != ticket.Id)
            .OrderByDescending(t => t.CreatedAt)
            .Select(t => new BuyerTicketLine(t.No, t.Category, t.Status, t.Resolution, t.Rating, t.CreatedAt))
            .Take(HistoryLength).ToListAsync(ct);

        var names = await NamesAsync(
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
            new StaffBuyer(buyer.Id, BuyerName(buyer), buyer.Email ?? "", buyer.Tier, buyer.CreatedAt, dedicated, buyer.TimeZoneId,
                VisitorLanguage.Of(buyer.PreferredCulture).Name),
            otherOrders,
            otherTickets,
            events.Select(e => new StaffTicketEvent(e.At, e.Kind, NameOf(e.ActorId), EventDetail(e, names), e.IsPublic)).ToList(),
            payouts.Select(p => new StaffPayout(p.Kind, p.Amount, p.Status, p.Reason, NameOf(p.RequestedBy) ?? "", p.RequestedAt,
                NameOf(p.DecidedBy), p.DecidedAt, p.DecisionNote)).ToList(),
            cases.Select(c => new StaffSupplierCase(c.Supplier, c.Case.Question, NameOf(c.Case.OpenedBy) ?? "", c.Case.OpenedAt, c.Case.DueAt,
                c.Case.Reply, c.Case.RepliedAt)).ToList(),
            await TemplatesAsync(ticket, buyer, order, keys.Select(k => k.View).OrderByDescending(k => k.OnTicket).FirstOrDefault(), ct),
            isSupervisor ? await AssigneesAsync(ct) : [],
            me,
            CanClaim: ticket.IsActive && ticket.AssigneeId != me && (ticket.AssigneeId is null || isSupervisor),
            CanReassign: isSupervisor && ticket.IsActive);
        return view;
    }

    private static string BuyerName(ShopUser u) => string.IsNullOrEmpty(u.DisplayName) ? u.Email ?? "" : u.DisplayName;

    /// <summary>The ticket's keys and every other key of the order, each with its masked code and its history.</summary>
    private async Task<List<(CardKey Key, StaffKey View)>> KeysAsync(Ticket ticket, Order? order, List<Guid> ticketItemIds, CancellationToken ct)
    {
        var itemIds = ticketItemIds.Concat(order?.Items.Select(i => i.Id) ?? []).Distinct().ToList();
        var items = await (from i in db.OrderItems.AsNoTracking()
                           join o in db.Orders on i.OrderId equals o.Id
                           where itemIds.Contains(i.Id)
                           select new { Item = i, OrderNo = o.No }).ToListAsync(ct);
        var keyIds = items.Select(i => i.Item.CardKeyId).ToList();
        var keys = await db.CardKeys.AsNoTracking().Where(k => keyIds.Contains(k.Id)).ToDictionaryAsync(k => k.Id, ct);
        var batchIds = keys.Values.Select(k => k.BatchId).Distinct().ToList();
        var batches = await (from b in db.KeyBatches.AsNoTracking()
                             join s in db.Suppliers on b.SupplierId equals s.Id
                             join u in db.Users on b.ImportedByUserId equals u.Id into importers
                             from u in importers.DefaultIfEmpty()
                             where batchIds.Contains(b.Id)
                             select new { b.Id, b.ImportedAt, b.IsFrozen, Supplier = s.Name, ImportedBy = u == null ? null : u.DisplayName })
            .ToDictionaryAsync(b => b.Id, ct);
        var keyEvents = await db.CardKeyEvents.AsNoTracking().Where(e => keyIds.Contains(e.CardKeyId))
            .OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync(ct);
        var names = await NamesAsync(keyEvents.Select(e => e.ActorUserId), ct);
        // Activation attempts (supplier webhooks, platform redemptions) and key checks belong to the key's story too.
        var activations = await db.ActivationEvents.AsNoTracking().Where(a => keyIds.Contains(a.CardKeyId))
            .OrderBy(a => a.At).ThenBy(a => a.Id).ToListAsync(ct);
        var verifications = await db.KeyVerifications.AsNoTracking()
            .Where(v => keyIds.Contains(v.CardKeyId) && v.Status == VerificationStatus.Done)
            .ToListAsync(ct);

        var onTicket = ticketItemIds.ToHashSet();
        var result = new List<(CardKey, StaffKey)>();
        // The ticket's own keys first, then the rest of the order in delivery order.
        foreach (var row in items.OrderBy(i => onTicket.Contains(i.Item.Id) ? 0 : 1).ThenBy(i => i.Item.CreatedAt).ThenBy(i => i.Item.Id))
        {
            var key = keys[row.Item.CardKeyId];
            var batch = batches[key.BatchId];
            var timeline = new List<KeyTimelineEntry>
            {
                new(batch.ImportedAt, KeyTimelineKinds.Imported, batch.ImportedBy, ShortId(batch.Id), null, batch.Supplier),
            };
            timeline.AddRange(keyEvents.Where(e => e.CardKeyId == key.Id).Select(e => new KeyTimelineEntry(
                e.At, KeyTimelineKinds.Of(e.Kind), e.ActorUserId is { } a && names.TryGetValue(a, out var n) ? n : null, e.Detail, e.Ip, null)));
            timeline.AddRange(activations.Where(a => a.CardKeyId == key.Id).Select(a =>
                new KeyTimelineEntry(a.At, KeyTimelineKinds.Activation, null, null, a.Ip, null) { Device = a.DeviceId, Result = a.Result, Source = a.Source }));
            timeline.AddRange(verifications.Where(v => v.CardKeyId == key.Id).Select(v =>
                new KeyTimelineEntry(v.CompletedAt ?? v.RequestedAt, KeyTimelineKinds.Verification, null, v.SupplierError, null, null)
                {
                    Answer = v.Answer,
                    RedeemedAt = v.SupplierRedeemedAt,
                    Outcome = v.Outcome,
                }));
            // Opened only to be masked: no reveal event, and the plain code goes no further than this line.
            var masked = CardKeyMask.Mask(vault.Open(key).Code);
            var story = timeline.OrderBy(t => t.At).ThenBy(t => KeyTimelineKinds.Rank(t.Kind)).ToList();
            var view = new StaffKey(row.Item.Id, row.OrderNo, masked, key.State, onTicket.Contains(row.Item.Id), row.Item.ReplacesItemId,
                key.ExpiresAt, batch.Supplier, story)
            {
                CardKeyId = key.Id,
            };
            result.Add((key, view));
        }
        return result;
    }

    /// <summary>
    /// The desk's templates filled for this buyer, in the buyer's language whatever the agent's page is in: the
    /// reply goes to the buyer, and an agent on an English page answering a Chinese buyer would otherwise start
    /// from English.
    /// </summary>
    private async Task<IReadOnlyList<FilledTemplate>> TemplatesAsync(Ticket ticket, ShopUser buyer, Order? order, StaffKey? firstKey,
        CancellationToken ct)
    {
        var english = VisitorLanguage.Of(buyer.PreferredCulture) == VisitorLanguage.English;
        var templates = await db.ReplyTemplates.AsNoTracking().Where(t => t.IsActive).ToListAsync(ct);
        var dueAt = BuyerTime.Minutes(ticket.ResolutionDueAt, buyer.TimeZoneId);
        var values = new Dictionary<string, string>
        {
            ["{buyer}"] = BuyerName(buyer),
            // A bulk ticket has no order of its own: the order of the key it is mostly about stands in.
            ["{orderNo}"] = order?.No ?? firstKey?.OrderNo ?? "",
            ["{maskedKey}"] = firstKey?.MaskedCode ?? "",
            ["{dueAt}"] = dueAt,
        };
        return templates
            .OrderBy(t => t.Category == ticket.Category ? 0 : t.Category is null ? 1 : 2)
            .ThenBy(t => t.Title, StringComparer.CurrentCulture)
            .Select(t => new FilledTemplate(t.Id, t.Title, t.Category, ReplyPlaceholders.Fill(english ? t.BodyEn : t.BodyZh, values)))
            .ToList();
    }

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

    private async Task<Dictionary<Guid, string>> NamesAsync(IEnumerable<Guid?> ids, CancellationToken ct)
    {
        var wanted = ids.OfType<Guid>().Distinct().ToList();
        if (wanted.Count == 0) return [];
        return await db.Users.AsNoTracking().Where(u => wanted.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.DisplayName == "" ? u.Email ?? "" : u.DisplayName, ct);
    }

    /// <summary>Assignment events carry the agent's id: the page shows the name instead.</summary>
    private static string? EventDetail(TicketEvent e, Dictionary<Guid, string> names) =>
        e.Kind == TicketEventKinds.Assigned && Guid.TryParse(e.Detail, out var id) && names.TryGetValue(id, out var name) ? name : e.Detail;

    private static string ShortId(Guid id) => id.ToString("N")[..8];
}

/// <summary>The placeholders a reply template may use, and how they are filled.</summary>
public static class ReplyPlaceholders
{
    public static readonly IReadOnlyList<string> All = ["{buyer}", "{orderNo}", "{maskedKey}", "{dueAt}"];

    public static string Fill(string body, IReadOnlyDictionary<string, string> values) =>
        values.Aggregate(body, (text, v) => text.Replace(v.Key, v.Value, StringComparison.Ordinal));

    /// <summary>Anything in braces that is not one of <see cref="All"/> (a typo would reach the buyer as is).</summary>
    public static IReadOnlyList<string> Unknown(string? body) =>
        string.IsNullOrEmpty(body) ? [] :
        System.Text.RegularExpressions.Regex.Matches(body, @"\{[^{}\s]{1,40}\}")
            .Select(m => m.Value).Where(p => !All.Contains(p, StringComparer.Ordinal)).Distinct().ToList();
}

/// <summary>The steps of a key's history as the ticket page words them.</summary>
public static class KeyTimelineKinds
{
    public const string Imported = "imported";

    /// <summary>Somebody tried to activate the key (a supplier's webhook or a redemption on the platform).</summary>
    public const string Activation = "activation";

    /// <summary>A key check (卡密核验) finished: the supplier's answer and what was done.</summary>
    public const string Verification = "verification";

    /// <summary>
    /// Within one instant, the order things happen in: a key is sold before it is seen, tried and checked, and
    /// a check comes before the freeze or replacement it causes.
    /// </summary>
    public static int Rank(string kind) => kind switch
    {
        Imported => 0,
        "sold" => 1,
        "revealed" or "downloaded" => 2,
        Activation => 3,
        Verification => 4,
        _ => 5,
    };

    public static string Of(CardKeyEventKind kind) => kind switch
    {
        CardKeyEventKind.Sold => "sold",
        CardKeyEventKind.Revealed => "revealed",
        CardKeyEventKind.Downloaded => "downloaded",
        CardKeyEventKind.Frozen => "frozen",
        CardKeyEventKind.Unfrozen => "unfrozen",
        CardKeyEventKind.Redeemed => "redeemed",
        CardKeyEventKind.Voided => "voided",
        CardKeyEventKind.Reencrypted => "reencrypted",
        _ => kind.ToString().ToLowerInvariant(),
    };
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

/// <summary>A key as staff see it: masked, with where it came from and everything that happened to it.</summary>
public sealed record StaffKey(
    Guid ItemId, string OrderNo, string MaskedCode, CardKeyState State, bool OnTicket, Guid? ReplacesItemId, DateTimeOffset? ExpiresAt,
    string Supplier, IReadOnlyList<KeyTimelineEntry> Timeline)
{
    /// <summary>The key itself, for actions on it (unfreezing).</summary>
    public Guid CardKeyId { get; init; }
}

public sealed record KeyTimelineEntry(DateTimeOffset At, string Kind, string? Actor, string? Detail, string? Ip, string? Supplier)
{
    // Activation attempts
    public string? Device { get; init; }
    public string? Result { get; init; }
    /// <summary>webhook or platform.</summary>
    public string? Source { get; init; }

    // Key checks (Detail holds the reason there was no answer, if any)
    public SupplierAnswer? Answer { get; init; }
    public DateTimeOffset? RedeemedAt { get; init; }
    public VerificationOutcome? Outcome { get; init; }
}

/// <summary>The buyer as the desk sees them; <see cref="Language"/> is the one they read (zh-CN or en-US), which replies are written in.</summary>
public sealed record StaffBuyer(Guid UserId, string Name, string Email, MemberTier Tier, DateTimeOffset MemberSince, string? DedicatedAgent, string TimeZoneId,
    string Language);

public sealed record BuyerOrderLine(string OrderNo, string ProductName, int Quantity, decimal Total, decimal RefundedAmount, OrderStatus Status, DateTimeOffset CreatedAt);

public sealed record BuyerTicketLine(string TicketNo, TicketCategory Category, TicketStatus Status, TicketResolution? Resolution, int? Rating, DateTimeOffset CreatedAt);

public sealed record StaffTicketEvent(DateTimeOffset At, string Kind, string? Actor, string? Detail, bool IsPublic);

public sealed record StaffPayout(
    PayoutKind Kind, decimal Amount, PayoutStatus Status, string Reason, string RequestedBy, DateTimeOffset RequestedAt,
    string? DecidedBy, DateTimeOffset? DecidedAt, string? DecisionNote);

public sealed record StaffSupplierCase(
    string Supplier, string Question, string OpenedBy, DateTimeOffset OpenedAt, DateTimeOffset DueAt, string? Reply, DateTimeOffset? RepliedAt)
{
    public bool IsOpen => RepliedAt is null;
}

/// <summary>A reply template with its placeholders already filled for this ticket, in the agent's language.</summary>
public sealed record FilledTemplate(Guid Id, string Title, TicketCategory? Category, string Body);

public sealed record AssigneeOption(Guid UserId, string Name, bool OnDuty, int ActiveTickets);
