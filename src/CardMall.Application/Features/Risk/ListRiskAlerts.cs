using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.CardKeys;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Risk;

/// <summary>
/// The staff's risk alerts (风险提醒), newest first: by default the ones nobody has looked at yet. Each names
/// what it is about — the key's product and order, its ticket, the incident — so the page can link there.
/// </summary>
public sealed record ListRiskAlerts(bool Acknowledged = false, int Page = 1, int PageSize = 30) : IRequest<Paged<RiskAlertView>>;

public sealed class ListRiskAlertsValidator : AbstractValidator<ListRiskAlerts>
{
    public ListRiskAlertsValidator()
    {
        RuleFor(x => x.Page).InclusiveBetween(1, 100_000).WithMessage(_ => AppText.Get("Risk.PageInvalid"));
        RuleFor(x => x.PageSize).InclusiveBetween(1, 200).WithMessage(_ => AppText.Get("Risk.PageInvalid"));
    }
}

internal sealed class ListRiskAlertsHandler(ICardMallDb db, ICurrentUser currentUser) : IRequestHandler<ListRiskAlerts, Paged<RiskAlertView>>
{
    public async Task<Paged<RiskAlertView>> Handle(ListRiskAlerts request, CancellationToken ct)
    {
        currentUser.RequireAnyRole([.. ShopRoles.Staff]);
        var alerts = db.RiskAlerts.AsNoTracking().Where(a => (a.AcknowledgedAt != null) == request.Acknowledged);
        var total = await alerts.CountAsync(ct);
        var page = await alerts.OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id)
            .Skip((request.Page - 1) * request.PageSize).Take(request.PageSize).ToListAsync(ct);

        var keyIds = page.Where(a => a.CardKeyId is not null).Select(a => a.CardKeyId!.Value).Distinct().ToList();
        var keys = await (from k in db.CardKeys
                          join p in db.Products on k.ProductId equals p.Id
                          join o in db.Orders on k.OrderId equals o.Id into orders
                          from o in orders.DefaultIfEmpty()
                          where keyIds.Contains(k.Id)
                          select new { k.Id, k.State, p.NameZh, p.NameEn, OrderNo = o == null ? null : o.No })
            .ToDictionaryAsync(k => k.Id, ct);
        var ticketIds = page.Where(a => a.TicketId is not null).Select(a => a.TicketId!.Value).Distinct().ToList();
        var tickets = await db.Tickets.Where(t => ticketIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.No, ct);
        var incidentIds = page.Where(a => a.IncidentId is not null).Select(a => a.IncidentId!.Value).Distinct().ToList();
        var incidents = await db.Incidents.Where(i => incidentIds.Contains(i.Id)).ToDictionaryAsync(i => i.Id, i => i.No, ct);
        var readerIds = page.Where(a => a.AcknowledgedBy is not null).Select(a => a.AcknowledgedBy!.Value).Distinct().ToList();
        var readers = await db.Users.Where(u => readerIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => string.IsNullOrWhiteSpace(u.DisplayName) ? u.Email ?? "" : u.DisplayName, ct);

        var english = VisitorLanguage.IsEnglish;
        var items = page.Select(a =>
        {
            var key = a.CardKeyId is { } keyId ? keys.GetValueOrDefault(keyId) : null;
            return new RiskAlertView(a.Id, a.Kind, Describe(a.Kind, a.Detail), a.CreatedAt, a.AcknowledgedAt,
                a.AcknowledgedBy is { } by ? readers.GetValueOrDefault(by) : null,
                a.CardKeyId, key?.State, key is null ? null : english ? key.NameEn : key.NameZh, key?.OrderNo,
                a.TicketId is { } t ? tickets.GetValueOrDefault(t) : null,
                a.IncidentId, a.IncidentId is { } i ? incidents.GetValueOrDefault(i) : null);
        }).ToList();
        return new Paged<RiskAlertView>(items, request.Page, request.PageSize, total);
    }

    /// <summary>
    /// The risk rules' alerts carry their facts as key=value pairs, worded here in the reader's language;
    /// other alerts (incidents, interface anomalies) are shown as written.
    /// </summary>
    private static string Describe(string kind, string detail) => kind switch
    {
        RecordActivationHandler.MultiDevice when Fact(detail, "devices") is { } devices && Fact(detail, "minutes") is { } minutes =>
            AppText.Format("Risk.AlertMultiDevice", devices, minutes),
        RecordActivationHandler.ActivatedUnsold => AppText.Get("Risk.AlertActivatedUnsold"),
        _ => detail,
    };

    private static string? Fact(string detail, string name) =>
        detail.Split(';').Select(p => p.Split('=', 2)).FirstOrDefault(p => p.Length == 2 && p[0] == name)?[1];
}

/// <summary>One alert with what it is about. <see cref="Kind"/>: multi_device, activated_unsold, incident_opened, interface_anomaly, …</summary>
public sealed record RiskAlertView(
    Guid AlertId, string Kind, string Detail, DateTimeOffset CreatedAt, DateTimeOffset? AcknowledgedAt, string? AcknowledgedBy,
    Guid? CardKeyId, CardKeyState? KeyState, string? ProductName, string? OrderNo, string? TicketNo, Guid? IncidentId, string? IncidentNo);
