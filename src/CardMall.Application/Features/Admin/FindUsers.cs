using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Admin;

/// <summary>The Admin's users page: accounts whose e-mail contains the search text, newest first, with roles and state.</summary>
public sealed record FindUsers(string? Email, int Page = 1, int PageSize = 20) : IRequest<Paged<UserSummary>>;

public sealed class FindUsersValidator : AbstractValidator<FindUsers>
{
    public FindUsersValidator()
    {
        RuleFor(x => x.Email).MaximumLength(256).WithMessage(_ => AppText.Get("Account.EmailInvalid"));
        RuleFor(x => x.Page).InclusiveBetween(1, 100_000).WithMessage(_ => AppText.Get("Admin.Batches.PageInvalid"));
        RuleFor(x => x.PageSize).InclusiveBetween(1, 100).WithMessage(_ => AppText.Get("Admin.Batches.PageInvalid"));
    }
}

internal sealed class FindUsersHandler(ICardMallDb db, ICurrentUser currentUser) : IRequestHandler<FindUsers, Paged<UserSummary>>
{
    public async Task<Paged<UserSummary>> Handle(FindUsers request, CancellationToken cancellationToken)
    {
        currentUser.RequireAnyRole(ShopRoles.Admin);
        var users = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(request.Email))
        {
            // Identity keeps e-mails upper-cased in NormalizedEmail.
            var pattern = LikePattern.Containing(request.Email.Trim().ToUpperInvariant());
            users = users.Where(u => EF.Functions.Like(u.NormalizedEmail!, pattern));
        }
        var total = await users.CountAsync(cancellationToken);
        var page = await users.OrderByDescending(u => u.CreatedAt).ThenBy(u => u.Id)
            .Skip((request.Page - 1) * request.PageSize).Take(request.PageSize)
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.Tier, u.CreatedAt, u.DisabledAt, u.TwoFactorEnabled })
            .ToListAsync(cancellationToken);
        var ids = page.Select(u => u.Id).ToList();
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ids.Contains(ur.UserId)
                           select new { ur.UserId, r.Name }).ToListAsync(cancellationToken);
        var keys = await db.ApiKeys.Where(k => ids.Contains(k.UserId) && k.RevokedAt == null)
            .GroupBy(k => k.UserId).Select(g => new { UserId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.UserId, x => x.Count, cancellationToken);
        var items = page.Select(u => new UserSummary(
            u.Id, u.Email ?? "", u.DisplayName, u.Tier, u.CreatedAt,
            roles.Where(r => r.UserId == u.Id && r.Name is not null).Select(r => r.Name!).Order(StringComparer.Ordinal).ToList(),
            u.DisabledAt, u.TwoFactorEnabled, keys.GetValueOrDefault(u.Id))).ToList();
        return new Paged<UserSummary>(items, request.Page, request.PageSize, total);
    }
}

public sealed record UserSummary(
    Guid UserId, string Email, string DisplayName, MemberTier Tier, DateTimeOffset CreatedAt, IReadOnlyList<string> Roles,
    DateTimeOffset? DisabledAt, bool TwoFactorEnabled, int ActiveApiKeys)
{
    public string Role => Roles.Count > 0 ? Roles[0] : "";
}
