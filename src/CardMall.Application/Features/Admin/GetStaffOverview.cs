using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Common;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Admin;

/// <summary>The staff home page: who is on the team and how many people hold each role.</summary>
public sealed record GetStaffOverview : IRequest<StaffOverview>;

internal sealed class GetStaffOverviewHandler(ICardMallDb db, ICurrentUser currentUser) : IRequestHandler<GetStaffOverview, StaffOverview>
{
    public async Task<StaffOverview> Handle(GetStaffOverview request, CancellationToken cancellationToken)
    {
        if (!ShopRoles.Staff.Any(currentUser.IsInRole))
            throw new DomainRuleException(ErrorCodes.Forbidden, AppText.Get("Common.Forbidden"));

        var counts = await (from ur in db.UserRoles
                            join r in db.Roles on ur.RoleId equals r.Id
                            group ur by r.Name into g
                            select new { Role = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Role ?? "", x => x.Count, cancellationToken);
        var accounts = await db.Users.CountAsync(cancellationToken);
        var perRole = ShopRoles.All.Select(r => new RoleCount(r, counts.GetValueOrDefault(r))).ToList();
        var mine = ShopRoles.All.Where(currentUser.IsInRole).ToList();
        return new StaffOverview(accounts, perRole, mine);
    }
}

public sealed record StaffOverview(int Accounts, IReadOnlyList<RoleCount> PerRole, IReadOnlyList<string> MyRoles);

public sealed record RoleCount(string Role, int Count);
