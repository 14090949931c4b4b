using CardMall.Application.Abstractions;
using CardMall.Application.Features.Tickets;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Audit;
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
    ICardMallDb db, ICurrentUser currentUser, TicketDesk desk, IncidentItemRemedy itemRemedy, ISupplierLedger supplierLedger, TimeProvider clock)
    : IRequestHandler<ApplyIncidentRemedy, IncidentRemedyResult>
{
    public async Task<IncidentRemedyResult> Handle(ApplyIncidentRemedy request, CancellationToken ct)
    {
        var actor = currentUser.RequireAnyRole(ShopRoles.Operator, ShopRoles.Admin);
        // First and held to the end: a second press waits here and then finds the first one's work done.
        var incident = await db.Locks.LockAsync<Incident, string>(x => x.No, request.IncidentNo.Trim(), ct)
            ?? throw new NotFoundException(AppText.Get("Incidents.NotFound"));
        incident.CheckTakesRemedy();

        var affected = await db.AffectedItems(incident).ToListAsync(ct);
        // An item on two linked tickets is remedied once, on the first of them.
        var items = affected.OrderBy(a => a.TicketId).ThenBy(a => a.ItemId).DistinctBy(a => a.ItemId).ToList();
        var now = clock.GetUtcNow();
        if (request.Remedy == IncidentRemedy.ReplaceAll) await itemRemedy.RequireStockAsync(items, now, ct);

        var done = new List<ItemRemedied>();
        // A linked ticket the buyer has meanwhile closed still gets the remedy: the incident, not the ticket,
        // is the case being worked, and the batch is at fault either way.
        foreach (var onTicket in items.GroupBy(a => a.TicketId))
        {
            // Tickets in id order, as every remedy takes them: two remedies never hold each other's tickets.
            var ticket = await desk.LockForSystemAsync(onTicket.Key, ct);
            foreach (var item in onTicket)
            {
                done.Add(request.Remedy == IncidentRemedy.ReplaceAll
                    ? await itemRemedy.ReplaceAsync(ticket, item, actor, ct)
                    : await itemRemedy.RefundAsync(ticket, item, incident.No, actor, now, ct));
                // Written as it goes (still one transaction): the next replacement's stock query must see this
                // one's key as sold, or it would be handed the same key again.
                await db.SaveChangesAsync(ct);
            }
        }

        var resolved = await ResolveTicketsAsync(incident, request.Remedy, actor, now, ct);
        var unitCost = await db.KeyBatches.Where(b => b.Id == incident.BatchId).Select(b => b.UnitCost).FirstAsync(ct);
        var liability = await supplierLedger.ChargeIncidentAsync(incident, unitCost, items.Select(i => i.CardKeyId).Distinct().ToList(), actor, now, ct);

        var (replaced, refunded) = (done.Count(d => d.Replaced), done.Where(d => d.Refunded > 0).ToList());
        incident.Remedied(request.Remedy, actor, liability, changedAnything: replaced + refunded.Count + resolved > 0, now);
        return new IncidentRemedyResult(incident.No, request.Remedy, replaced, refunded.Count, refunded.Sum(d => d.Refunded),
            done.Count - replaced - refunded.Count, resolved, liability);
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
}

/// <summary>What one press did; <see cref="AlreadyDone"/> counts items an earlier press (or an agent) had settled.</summary>
public sealed record IncidentRemedyResult(
    string IncidentNo, IncidentRemedy Remedy, int Replaced, int Refunded, decimal RefundedAmount, int AlreadyDone, int TicketsResolved,
    decimal LiabilityCharged);
