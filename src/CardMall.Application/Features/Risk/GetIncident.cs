using CardMall.Application.Abstractions;
using CardMall.Application.Features.CardKeys;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Common;
using CardMall.Domain.Risk;
using CardMall.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Risk;

/// <summary>
/// One incident for the operator's page: why it opened (with the figures), the batch with its keys per
/// state, and the affected orders and tickets — each linked ticket with its keys from the batch, whose
/// order, whose buyer, and whether each key is already replaced or refunded — and what the supplier has
/// been charged.
/// </summary>
public sealed record GetIncident(string IncidentNo) : IRequest<IncidentDetail>;

internal sealed class GetIncidentHandler(ICardMallDb db, ICurrentUser currentUser, IStockCounts stockCounts, TimeProvider clock) : IRequestHandler<GetIncident, IncidentDetail>
{
    public async Task<IncidentDetail> Handle(GetIncident request, CancellationToken ct)
    {
        currentUser.RequireAnyRole(IncidentAccess.Readers);
        var no = request.IncidentNo.Trim();
        var incident = await db.Incidents.AsNoTracking().FirstOrDefaultAsync(i => i.No == no, ct)
            ?? throw new NotFoundException(AppText.Get("Incidents.NotFound"));
        var english = VisitorLanguage.IsEnglish;

        var batch = await db.KeyBatches.AsNoTracking().FirstAsync(b => b.Id == incident.BatchId, ct);
        var product = await db.Products.AsNoTracking().Where(p => p.Id == incident.ProductId)
            .Select(p => new { p.Sku, Name = english ? p.NameEn : p.NameZh }).FirstAsync(ct);
        var supplier = await db.Suppliers.AsNoTracking().Where(s => s.Id == incident.SupplierId)
            .Select(s => new { s.Code, s.Name }).FirstAsync(ct);
        var counts = KeyStateCounts.ByBatch(await stockCounts.ByStateAsync(null, [batch.Id], ct)).GetValueOrDefault(batch.Id) ?? KeyStateCounts.None;
        // Where replacements would come from: the product's keys still for sale (the frozen batch's are not).
        var now = clock.GetUtcNow();
        var stock = (await stockCounts.SellableAsync([incident.ProductId], now, ct)).GetValueOrDefault(incident.ProductId);
        var remediedBy = incident.RemediedBy is { } by
            ? await db.Users.AsNoTracking().Where(u => u.Id == by).Select(u => u.Email).FirstOrDefaultAsync(ct)
            : null;
        var ledger = await db.SupplierLedgerEntries.Where(e => e.IncidentId == incident.Id)
            .GroupBy(_ => 1).Select(g => new { Lines = g.Count(), Sum = g.Sum(e => e.Amount) }).FirstOrDefaultAsync(ct);

        var tickets = await (from l in db.IncidentTickets
                             join t in db.Tickets on l.TicketId equals t.Id
                             join u in db.Users on t.BuyerId equals u.Id
                             where l.IncidentId == incident.Id
                             orderby t.CreatedAt, t.Id
                             select new { t.Id, t.No, t.Status, t.Category, t.CreatedAt, t.Resolution, l.LinkedAt, BuyerEmail = u.Email })
            .AsNoTracking().ToListAsync(ct);

        var items = await (from a in db.AffectedItems(incident)
                           join o in db.Orders on a.OrderId equals o.Id
                           join k in db.CardKeys on a.CardKeyId equals k.Id
                           select new { a.TicketId, a.ItemId, OrderNo = o.No, o.UnitPrice, k.State })
            .AsNoTracking().ToListAsync(ct);
        var itemIds = items.Select(i => i.ItemId).Distinct().ToList();
        var replaced = (await db.OrderItems.Where(i => i.ReplacesItemId != null && itemIds.Contains(i.ReplacesItemId.Value))
            .Select(i => i.ReplacesItemId!.Value).ToListAsync(ct)).ToHashSet();
        var refundKeys = itemIds.ToDictionary(id => IncidentItems.RefundKey(incident.No, id));
        var refundKeyList = refundKeys.Keys.ToList();
        var refunds = (await db.Payouts.Where(p => refundKeyList.Contains(p.RequestKey) && p.Status == PayoutStatus.Paid)
                .Select(p => new { p.RequestKey, p.Amount }).ToListAsync(ct))
            .ToDictionary(p => refundKeys[p.RequestKey], p => p.Amount);

        var rows = tickets.Select(t => new IncidentTicketRow(
            t.No, t.Status, t.Category, t.BuyerEmail, t.CreatedAt, t.LinkedAt, t.Resolution,
            items.Where(i => i.TicketId == t.Id).OrderBy(i => i.ItemId).Select(i => new IncidentItemRow(
                i.ItemId, i.OrderNo, i.UnitPrice, i.State,
                refunds.ContainsKey(i.ItemId) ? ItemRemedyState.Refunded
                : replaced.Contains(i.ItemId) ? ItemRemedyState.Replaced
                : i.State == CardKeyState.Void ? ItemRemedyState.Voided
                : ItemRemedyState.Pending,
                refunds.GetValueOrDefault(i.ItemId))).ToList())).ToList();

        return new IncidentDetail(
            incident.No, incident.Status, IncidentReason.Parse(incident.Reason), incident.OpenedAt, incident.Remedy, incident.RemediedAt,
            remediedBy, incident.ClosedAt, incident.LiabilityAmount, ledger?.Lines ?? 0,
            product.Sku, product.Name, batch.Id, batch.ImportedAt, batch.UnitCost, batch.IsFrozen, counts, stock, supplier.Code, supplier.Name, rows);
    }
}

/// <summary>Who may look at incidents: operators run them, supervisors follow the tickets in them.</summary>
internal static class IncidentAccess
{
    public static readonly string[] Readers = [ShopRoles.Operator, ShopRoles.Supervisor, ShopRoles.Admin];
}

/// <summary>Where an affected item stands: still to remedy, replaced, refunded, or voided some other way.</summary>
public enum ItemRemedyState
{
    Pending = 0,
    Replaced = 1,
    Refunded = 2,
    Voided = 3,
}

public sealed record IncidentItemRow(Guid ItemId, string OrderNo, decimal UnitPrice, CardKeyState KeyState, ItemRemedyState Remedy, decimal RefundedAmount);

public sealed record IncidentTicketRow(
    string TicketNo, TicketStatus Status, TicketCategory Category, string BuyerEmail, DateTimeOffset FiledAt, DateTimeOffset LinkedAt,
    TicketResolution? Resolution, IReadOnlyList<IncidentItemRow> Items);

public sealed record IncidentDetail(
    string No, IncidentStatus Status, IncidentReason Reason, DateTimeOffset OpenedAt, IncidentRemedy? Remedy, DateTimeOffset? RemediedAt,
    string? RemediedBy, DateTimeOffset? ClosedAt, decimal Liability, int LiabilityLines,
    string ProductSku, string ProductName, Guid BatchId, DateTimeOffset BatchImportedAt, decimal UnitCost, bool BatchFrozen, KeyStateCounts BatchKeys,
    int StockAvailable, string SupplierCode, string SupplierName, IReadOnlyList<IncidentTicketRow> Tickets)
{
    public IEnumerable<IncidentItemRow> Items => Tickets.SelectMany(t => t.Items).DistinctBy(i => i.ItemId);

    public int AffectedItems => Items.Count();

    public int PendingItems => Items.Count(i => i.Remedy == ItemRemedyState.Pending);

    public int ReplacedItems => Items.Count(i => i.Remedy == ItemRemedyState.Replaced);

    public int RefundedItems => Items.Count(i => i.Remedy == ItemRemedyState.Refunded);

    public bool TakesRemedy => Status != IncidentStatus.Closed;

    public bool CanClose => Status == IncidentStatus.Remedied;
}
