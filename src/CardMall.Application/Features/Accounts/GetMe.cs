using CardMall.Application.Abstractions;
using CardMall.Domain.Accounts;
using CardMall.Domain.Common;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Accounts;

/// <summary>Who the caller is: GET /api/v1/me and the account page.</summary>
public sealed record GetMe : IRequest<Me>;

internal sealed class GetMeHandler(ICardMallDb db, ICurrentUser currentUser) : IRequestHandler<GetMe, Me>
{
    public async Task<Me> Handle(GetMe request, CancellationToken cancellationToken)
    {
        var userId = currentUser.RequireUserId();
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken)
            ?? throw new NotFoundException("Account not found.");
        var roles = await RolesOf(db, userId, cancellationToken);
        return new Me(user.Id, user.Email ?? "", user.DisplayName, roles, user.Tier.ToApi());
    }

    internal static async Task<IReadOnlyList<string>> RolesOf(ICardMallDb db, Guid userId, CancellationToken ct)
    {
        var names = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ur.UserId == userId
                           select r.Name).ToListAsync(ct);
        // Contract order, not table order, so clients see a stable list.
        return ShopRoles.All.Where(names.Contains).ToList();
    }
}

public sealed record Me(Guid UserId, string Email, string DisplayName, IReadOnlyList<string> Roles, string Tier);
