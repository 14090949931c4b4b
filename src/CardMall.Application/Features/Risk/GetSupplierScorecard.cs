using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Common;
using CardMall.Domain.Risk;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Risk;

/// <summary>
/// One supplier's page: its scorecard, its incidents (newest first) and the latest lines of its liability
/// ledger — what it has been charged for and why.
/// </summary>
public sealed record GetSupplierScorecard(string Code) : IRequest<SupplierPage>;

internal sealed class GetSupplierScorecardHandler(ICardMallDb db, ISupplierLatency latencies, ICurrentUser currentUser, TimeProvider clock)
    : IRequestHandler<GetSupplierScorecard, SupplierPage>
{
    /// <summary>How many incidents and ledger lines the page lists; the totals above them cover everything.</summary>
    public const int Recent = 20;

    public async Task<SupplierPage> Handle(GetSupplierScorecard request, CancellationToken ct)
    {
        currentUser.RequireAnyRole(ShopRoles.Operator, ShopRoles.Admin);
        var code = request.Code.Trim();
        var supplier = await db.Suppliers.AsNoTracking().Where(s => s.Code == code)
            .Select(s => new { s.Id, s.Code, s.Name, s.Protocol, s.CreatedAt }).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException(AppText.Get("Incidents.SupplierNotFound"));
        var english = VisitorLanguage.IsEnglish;

        var figures = (await SupplierScorecards.FiguresAsync(db, latencies, [supplier.Id], clock.GetUtcNow(), ct))[supplier.Id]
            with
        { Code = supplier.Code, Name = supplier.Name };
        var incidents = await (from i in db.Incidents
                               join p in db.Products on i.ProductId equals p.Id
                               where i.SupplierId == supplier.Id
                               orderby i.OpenedAt descending, i.Id
                               select new { i.No, p.Sku, Name = english ? p.NameEn : p.NameZh, i.OpenedAt, i.Status, i.Reason, i.LiabilityAmount })
            .Take(Recent).AsNoTracking().ToListAsync(ct);
        // An incident charges one line per key; the page shows one line per incident with how many keys it covered.
        var byIncident = await (from e in db.SupplierLedgerEntries
                                join i in db.Incidents on e.IncidentId equals i.Id
                                where e.SupplierId == supplier.Id
                                group e by i.No into g
                                select new { No = g.Key, At = g.Max(e => e.At), Sum = g.Sum(e => e.Amount), Keys = g.Count() })
            .OrderByDescending(l => l.At).Take(Recent).ToListAsync(ct);
        var other = await db.SupplierLedgerEntries.Where(e => e.SupplierId == supplier.Id && e.IncidentId == null)
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(Recent)
            .Select(e => new SupplierLedgerLine(e.At, e.Amount, 0, e.Reason, null)).ToListAsync(ct);
        var ledger = byIncident.Select(l => new SupplierLedgerLine(l.At, l.Sum, l.Keys, "incident " + l.No, l.No)).Concat(other).OrderByDescending(l => l.At).Take(Recent).ToList();

        return new SupplierPage(figures, supplier.Protocol, supplier.CreatedAt,
            incidents.Select(i => new SupplierIncident(i.No, i.Sku, i.Name, i.OpenedAt, i.Status, IncidentReason.Parse(i.Reason), i.LiabilityAmount)).ToList(),
            ledger);
    }
}

public sealed record SupplierPage(
    SupplierScorecard Scorecard, string Protocol, DateTimeOffset CreatedAt, IReadOnlyList<SupplierIncident> Incidents,
    IReadOnlyList<SupplierLedgerLine> Ledger);

public sealed record SupplierIncident(
    string No, string ProductSku, string ProductName, DateTimeOffset OpenedAt, IncidentStatus Status, IncidentReason Reason, decimal Liability);

/// <summary>
/// What the supplier was charged (positive) or credited: an incident's charge for <see cref="Keys"/> keys, or
/// one other line.
/// </summary>
public sealed record SupplierLedgerLine(DateTimeOffset At, decimal Amount, int Keys, string Reason, string? IncidentNo);
