using System.Globalization;
using CardMall.Application.Abstractions;
using CardMall.Application.Features.Tickets;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Audit;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Common;
using CardMall.Domain.Risk;
using CardMall.Domain.Tickets;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Risk;

/// <summary>
/// An operator settles an incident in one go: every affected item — a key of the incident's batch on a
/// linked ticket — is replaced with a fresh key, or refunded at the price it was bought for; every linked
/// ticket still being worked is resolved (the supplier's fault, a defective key); and the supplier is
/// charged the batch's cost for each affected key. Pressing it again (or twice at once) does only what is
/// still undone: the incident row is locked first, replaced keys are void, refunds carry one request key
/// per item, and the supplier ledger takes one line per incident and key.
/// </summary>
public sealed record ApplyIncidentRemedy(string IncidentNo, IncidentRemedy Remedy) : IAuditedCommand<IncidentRemedyResult>
{
    public AuditNote Audit(IncidentRemedyResult result) => new(AuditActions.IncidentRemedyApplied, IncidentNo, $"{Remedy}: {result.Replaced} replaced, {result.Refunded} refunded ({result.RefundedAmount:0.00}), {result.TicketsResolved} tickets resolved, supplier charged {result.LiabilityCharged:0.00}");
}

public sealed class ApplyIncidentRemedyValidator : AbstractValidator<ApplyIncidentRemedy>
{
    public ApplyIncidentRemedyValidator()
    {
        RuleFor(x => x.IncidentNo).NotEmpty().WithMessage(_ => AppText.Get("Incidents.NotFound"))
            .MaximumLength(24).WithMessage(_ => AppText.Get("Incidents.NotFound"));
        RuleFor(x => x.Remedy).IsInEnum().WithMessage(_ => AppText.Get("Incidents.RemedyUnknown"));
    }
}

internal sealed class ApplyIncidentRemedyHandler(
    ICardMallDb db, ICurrentUser currentUser, TicketDesk desk, RemedyDesk remedies, KeyReplacement replacement, IStockCounts stockCounts, RefundedKeys refundedKeys)
    : IRequestHandler<ApplyIncidentRemedy, IncidentRemedyResult>
{
    public async Task<IncidentRemedyResult> Handle(ApplyIncidentRemedy request, CancellationToken ct)
    {
        var actor = currentUser.RequireAnyRole(ShopRoles.Operator, ShopRoles.Admin);
        // First and held to the end: a second press waits here and then finds the first one's work done.
        var incident = (await db.Incidents.FromSql($"SELECT * FROM incidents WHERE no = {request.IncidentNo.Trim()} FOR UPDATE").ToListAsync(ct))
            .FirstOrDefault() ?? throw new NotFoundException(AppText.Get("Incidents.NotFound"));
        if (incident.Status == IncidentStatus.Closed)
            throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Get("Incidents.AlreadyClosed"));

        var batch = await db.KeyBatches.AsNoTracking().FirstAsync(b => b.Id == incident.BatchId, ct);
        var affected = await db.AffectedItems(incident).ToListAsync(ct);
        // An item on two linked tickets is remedied once, on the first of them.
        var items = affected.OrderBy(a => a.TicketId).ThenBy(a => a.ItemId).DistinctBy(a => a.ItemId).ToList();
        var now = desk.Now;

        var outcome = new Tally();
        if (request.Remedy == IncidentRemedy.ReplaceAll)
            await RequireStockAsync(items, now, ct);
        // A linked ticket the buyer has meanwhile closed still gets the remedy: the incident, not the ticket,
        // is the case being worked, and the batch is at fault either way.
        foreach (var onTicket in items.GroupBy(a => a.TicketId))
        {
            // Tickets in id order, as every remedy takes them: two remedies never hold each other's tickets.
            var ticket = await desk.LockForSystemAsync(onTicket.Key, ct);
            foreach (var item in onTicket)
            {
                if (request.Remedy == IncidentRemedy.ReplaceAll) await ReplaceAsync(ticket, item, actor, outcome, ct);
                else await RefundAsync(ticket, item, incident.No, actor, outcome, now, ct);
                // Written as it goes (still one transaction): the next replacement's stock query must see this
                // one's key as sold, or it would be handed the same key again.
                await db.SaveChangesAsync(ct);
            }
        }

        var resolved = await ResolveTicketsAsync(incident, request.Remedy, actor, now, ct);
        var liability = await ChargeSupplierAsync(incident, batch, items.Select(i => i.CardKeyId).Distinct().ToArray(), actor, now, ct);

        // A press that found everything done leaves the record of the remedy that did it.
        if (outcome.Changed || liability > 0 || resolved > 0 || incident.Remedy is null)
            incident.RecordRemedy(request.Remedy, actor, liability, now);
        return new IncidentRemedyResult(incident.No, request.Remedy, outcome.Replaced, outcome.Refunded, outcome.RefundedAmount,
            outcome.AlreadyDone, resolved, liability);
    }

    /// <summary>
    /// Refuses before anything changes when stock cannot cover every key still to replace: half an incident
    /// replaced is worse than none. The operator imports keys first (the frozen batch does not count).
    /// </summary>
    private async Task RequireStockAsync(IReadOnlyList<AffectedItem> items, DateTimeOffset now, CancellationToken ct)
    {
        var keyIds = items.Select(i => i.CardKeyId).ToList();
        var needed = await db.CardKeys.Where(k => keyIds.Contains(k.Id) && k.State != CardKeyState.Void)
            .GroupBy(k => k.ProductId).Select(g => new { ProductId = g.Key, Count = g.Count() }).ToListAsync(ct);
        var sellable = await stockCounts.SellableAsync(needed.Select(n => n.ProductId).ToList(), now, ct);
        foreach (var need in needed)
        {
            var available = sellable.GetValueOrDefault(need.ProductId);
            if (available < need.Count) throw await OutOfStockAsync(need.ProductId, need.Count, available, ct);
        }
    }

    private async Task<DomainRuleException> OutOfStockAsync(Guid productId, int needed, int available, CancellationToken ct)
    {
        var sku = await db.Products.Where(p => p.Id == productId).Select(p => p.Sku).FirstAsync(ct);
        return new DomainRuleException(ErrorCodes.OutOfStock, AppText.Format("Incidents.OutOfStock", needed, sku, available));
    }

    private async Task ReplaceAsync(Ticket ticket, AffectedItem item, Guid actor, Tally outcome, CancellationToken ct)
    {
        // Read after the ticket's lock: an agent replacing the same key holds that lock too.
        var state = await db.CardKeys.AsNoTracking().Where(k => k.Id == item.CardKeyId).Select(k => k.State).FirstAsync(ct);
        if (state == CardKeyState.Void)
        {
            outcome.AlreadyDone++;
            return;
        }
        try
        {
            await replacement.ReplaceAsync(ticket, item.ItemId, actor, ct);
        }
        catch (DomainRuleException e) when (e.Code == ErrorCodes.OutOfStock)
        {
            // Stock ran out between the check and here (buyers bought the last keys): the whole press rolls back.
            throw new DomainRuleException(ErrorCodes.OutOfStock, AppText.Get("Incidents.StockRanOut"));
        }
        outcome.Replaced++;
    }

    /// <summary>
    /// Refunds the item's price to the buyer's wallet through the same payment path as an agent's refund
    /// (order lock, refundable check, wallet lock, ledger, timeline, notice). Incident remedies are decided
    /// by the operator per incident, so the agents' and supervisors' payout limits do not apply — but no refund
    /// ever passes what is left of the order (refunds and compensation together). The refunded key is voided by
    /// the same rule as every refunded key (<see cref="RefundedKeys"/>): the buyer has their money, and a
    /// replacement press later finds nothing left to do.
    /// </summary>
    private async Task RefundAsync(Ticket ticket, AffectedItem item, string incidentNo, Guid actor, Tally outcome, DateTimeOffset now,
        CancellationToken ct)
    {
        var requestKey = IncidentItems.RefundKey(incidentNo, item.ItemId);
        var state = await db.CardKeys.AsNoTracking().Where(k => k.Id == item.CardKeyId).Select(k => k.State).FirstAsync(ct);
        if (state == CardKeyState.Void || await db.Payouts.AnyAsync(p => p.TicketId == ticket.Id && p.RequestKey == requestKey, ct))
        {
            outcome.AlreadyDone++;
            return;
        }

        var order = await remedies.LockOrderAsync(item.OrderId, ct);
        var left = order.Refundable - await remedies.PendingOnOrderAsync(order.Id, except: null, ct);
        var amount = Math.Min(order.UnitPrice, left);
        if (amount <= 0)
        {
            // The order was refunded in full already (an agent did it): nothing is left to give back, and the
            // faulty key goes out of use like every refunded one.
            await refundedKeys.VoidAsync(item.CardKeyId, actor, RefundedKeys.VoidedOnTicket + ticket.No, ct);
            outcome.AlreadyDone++;
            return;
        }

        var payout = new Payout(ticket.Id, order.Id, PayoutKind.Refund, amount, $"批次问题退款 · Refund for a faulty key batch ({incidentNo})",
            actor, requestKey, now);
        db.Payouts.Add(payout);
        await remedies.PayAsync(ticket, payout, order, ct);

        await refundedKeys.VoidAsync(item.CardKeyId, actor, RefundedKeys.VoidedOnTicket + ticket.No, ct);
        outcome.Refunded++;
        outcome.RefundedAmount += amount;
    }

    /// <summary>Every linked ticket still being worked is settled: the supplier's defective key, remedied as chosen.</summary>
    private async Task<int> ResolveTicketsAsync(Incident incident, IncidentRemedy remedy, Guid actor, DateTimeOffset now, CancellationToken ct)
    {
        var ticketIds = await db.IncidentTickets.Where(l => l.IncidentId == incident.Id).Select(l => l.TicketId).OrderBy(id => id).ToListAsync(ct);
        var resolution = remedy == IncidentRemedy.ReplaceAll ? TicketResolution.Replaced : TicketResolution.Refunded;
        var resolved = 0;
        foreach (var id in ticketIds)
        {
            var ticket = await desk.LockForSystemAsync(id, ct);
            if (ticket.ResolveForIncident(resolution, actor, now)) resolved++;
        }
        return resolved;
    }

    /// <summary>
    /// One ledger line per affected key at the batch's unit cost. The unique (incident, key) index with
    /// ON CONFLICT DO NOTHING charges a key once however often the remedy is pressed; what this press
    /// charged is what the statement inserted.
    /// </summary>
    private async Task<decimal> ChargeSupplierAsync(Incident incident, KeyBatch batch, Guid[] keyIds, Guid actor, DateTimeOffset now,
        CancellationToken ct)
    {
        // A free batch costs the supplier nothing (and a ledger line never carries zero).
        if (batch.UnitCost <= 0 || keyIds.Length == 0) return 0m;
        var reason = "incident " + incident.No;
        // Not composed further: PostgreSQL allows a data-modifying WITH only at the top of the statement.
        var charged = await db.Database.SqlQuery<decimal>($"""
            WITH charged AS (
                INSERT INTO supplier_ledger_entries (supplier_id, incident_id, card_key_id, amount, reason, actor_user_id, at)
                SELECT {incident.SupplierId}, {incident.Id}, k.id, {batch.UnitCost}, {reason}, {actor}, {now}
                FROM card_keys k WHERE k.id = ANY({keyIds}) AND k.batch_id = {batch.Id}
                ON CONFLICT (incident_id, card_key_id) WHERE incident_id IS NOT NULL DO NOTHING
                RETURNING amount)
            SELECT coalesce(sum(amount), 0) AS "Value" FROM charged
            """).ToListAsync(ct);
        return charged.Single();
    }

    private sealed class Tally
    {
        public int Replaced;
        public int Refunded;
        public decimal RefundedAmount;
        public int AlreadyDone;

        public bool Changed => Replaced + Refunded > 0;
    }
}

/// <summary>A key of the incident's batch on one of its tickets. Set by name, so queries can go on composing on it.</summary>
internal sealed record AffectedItem
{
    public required Guid TicketId { get; init; }
    public required Guid ItemId { get; init; }
    public required Guid OrderId { get; init; }
    public required Guid CardKeyId { get; init; }
}

internal static class IncidentItems
{
    /// <summary>
    /// The incident's affected items: the items on its linked tickets whose key comes from its batch. A
    /// replacement key from another batch on the same ticket is not affected.
    /// </summary>
    public static IQueryable<AffectedItem> AffectedItems(this ICardMallDb db, Incident incident) =>
        from l in db.IncidentTickets
        join ti in db.TicketItems on l.TicketId equals ti.TicketId
        join oi in db.OrderItems on ti.OrderItemId equals oi.Id
        join k in db.CardKeys on oi.CardKeyId equals k.Id
        where l.IncidentId == incident.Id && k.BatchId == incident.BatchId
        select new AffectedItem { TicketId = l.TicketId, ItemId = oi.Id, OrderId = oi.OrderId, CardKeyId = oi.CardKeyId };

    /// <summary>
    /// The refund's request key for one item (at most 62 characters, within the column's 64): the unique
    /// (ticket, request key) index makes a second press pay nothing.
    /// </summary>
    public static string RefundKey(string incidentNo, Guid itemId) =>
        "incident:" + incidentNo + ":" + itemId.ToString("N", CultureInfo.InvariantCulture);
}

/// <summary>What one press did; <see cref="AlreadyDone"/> counts items an earlier press (or an agent) had settled.</summary>
public sealed record IncidentRemedyResult(
    string IncidentNo, IncidentRemedy Remedy, int Replaced, int Refunded, decimal RefundedAmount, int AlreadyDone, int TicketsResolved,
    decimal LiabilityCharged);
