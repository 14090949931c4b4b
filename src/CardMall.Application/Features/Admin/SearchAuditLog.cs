using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Audit;
using CardMall.Domain.Common;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Admin;

/// <summary>
/// The Admin reads the audit log: newest first, filtered by the actor's e-mail (contains), the kind of
/// action and a range of shop days. The CSV export asks for the same filter with a large page.
/// </summary>
public sealed record SearchAuditLog(string? Actor, string? Action, DateOnly? From, DateOnly? To, int Page = 1, int PageSize = 50)
    : IRequest<Paged<AuditEntry>>
{
    /// <summary>The most lines one CSV export holds.</summary>
    public const int ExportLimit = 50_000;
}

public sealed class SearchAuditLogValidator : AbstractValidator<SearchAuditLog>
{
    public SearchAuditLogValidator()
    {
        RuleFor(x => x.Actor).MaximumLength(256).WithMessage(_ => AppText.Get("Account.EmailInvalid"));
        RuleFor(x => x.Action).Must(a => a is null || AuditActions.All.Contains(a)).WithMessage(_ => AppText.Get("Admin.Audit.ActionUnknown"));
        RuleFor(x => x.To).Must((q, to) => q.From is null || to is null || to >= q.From).WithMessage(_ => AppText.Get("Admin.Audit.RangeInvalid"));
        RuleFor(x => x.Page).InclusiveBetween(1, 100_000).WithMessage(_ => AppText.Get("Admin.Batches.PageInvalid"));
        RuleFor(x => x.PageSize).InclusiveBetween(1, SearchAuditLog.ExportLimit).WithMessage(_ => AppText.Get("Admin.Batches.PageInvalid"));
    }
}

internal sealed class SearchAuditLogHandler(ILagTolerantReads reads, ICurrentUser currentUser) : IRequestHandler<SearchAuditLog, Paged<AuditEntry>>
{
    public async Task<Paged<AuditEntry>> Handle(SearchAuditLog request, CancellationToken cancellationToken)
    {
        currentUser.RequireAnyRole(ShopRoles.Admin);
        // The log and its CSV export read the replica when it may: a record is there within the stated lag.
        var db = await reads.OpenAsync(cancellationToken);
        var records = db.AuditRecords.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(request.Actor))
        {
            var pattern = LikePattern.Containing(request.Actor.Trim().ToLowerInvariant());
            records = records.Where(r => EF.Functions.Like(r.ActorEmail.ToLower(), pattern));
        }
        if (request.Action is not null)
            records = records.Where(r => r.Action == request.Action);
        if (request.From is { } from)
        {
            var start = ShopTime.StartOfDay(ShopTime.EndOfDay(from));
            records = records.Where(r => r.At >= start);
        }
        if (request.To is { } to)
        {
            var end = ShopTime.EndOfDay(to).AddSeconds(1);
            records = records.Where(r => r.At < end);
        }
        var total = await records.CountAsync(cancellationToken);
        var items = await records.OrderByDescending(r => r.Id)
            .Skip((request.Page - 1) * request.PageSize).Take(request.PageSize)
            .Select(r => new AuditEntry(r.Id, r.At, r.ActorEmail, r.Action, r.Subject, r.Detail, r.IpAddress))
            .ToListAsync(cancellationToken);
        return new Paged<AuditEntry>(items, request.Page, request.PageSize, total);
    }
}

public sealed record AuditEntry(long Id, DateTimeOffset At, string Actor, string Action, string? Subject, string Detail, string? IpAddress);
