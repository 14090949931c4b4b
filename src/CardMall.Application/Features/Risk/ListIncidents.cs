using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Risk;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Risk;

/// <summary>Batch incidents, newest first, optionally of one status: what is open needs an operator's remedy.</summary>
public sealed record ListIncidents(IncidentStatus? Status = null, int Page = 1, int PageSize = 50) : IRequest<Paged<IncidentRow>>;

public sealed class ListIncidentsValidator : AbstractValidator<ListIncidents>
{
    public ListIncidentsValidator()
    {
        RuleFor(x => x.Status).IsInEnum().WithMessage(_ => AppText.Get("Incidents.PageInvalid"));
        RuleFor(x => x.Page).InclusiveBetween(1, 100_000).WithMessage(_ => AppText.Get("Incidents.PageInvalid"));
        RuleFor(x => x.PageSize).InclusiveBetween(1, 200).WithMessage(_ => AppText.Get("Incidents.PageInvalid"));
    }
}

internal sealed class ListIncidentsHandler(ICardMallDb db, ICurrentUser currentUser) : IRequestHandler<ListIncidents, Paged<IncidentRow>>
{
    public async Task<Paged<IncidentRow>> Handle(ListIncidents request, CancellationToken ct)
    {
        currentUser.RequireAnyRole(IncidentAccess.Readers);
        var english = VisitorLanguage.IsEnglish;
        var incidents = db.Incidents.AsNoTracking();
        if (request.Status is { } status) incidents = incidents.Where(i => i.Status == status);
        var total = await incidents.CountAsync(ct);
        var rows = await (from i in incidents
                          join p in db.Products on i.ProductId equals p.Id
                          join s in db.Suppliers on i.SupplierId equals s.Id
                          orderby i.OpenedAt descending, i.Id
                          select new
                          {
                              i.No,
                              p.Sku,
                              ProductName = english ? p.NameEn : p.NameZh,
                              i.BatchId,
                              SupplierCode = s.Code,
                              SupplierName = s.Name,
                              i.OpenedAt,
                              i.Reason,
                              i.Status,
                              i.Remedy,
                              i.LiabilityAmount,
                              Tickets = db.IncidentTickets.Count(l => l.IncidentId == i.Id),
                          })
            .Skip((request.Page - 1) * request.PageSize).Take(request.PageSize)
            .ToListAsync(ct);
        var items = rows.Select(r => new IncidentRow(r.No, r.Sku, r.ProductName, r.BatchId, r.SupplierCode, r.SupplierName, r.OpenedAt,
            IncidentReason.Parse(r.Reason), r.Status, r.Remedy, r.Tickets, r.LiabilityAmount)).ToList();
        return new Paged<IncidentRow>(items, request.Page, request.PageSize, total);
    }
}

public sealed record IncidentRow(
    string No, string ProductSku, string ProductName, Guid BatchId, string SupplierCode, string SupplierName, DateTimeOffset OpenedAt,
    IncidentReason Reason, IncidentStatus Status, IncidentRemedy? Remedy, int Tickets, decimal Liability);
