using CardMall.Application.Abstractions;
using CardMall.Application.Accounts;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Common;
using Microsoft.AspNetCore.Identity;

namespace CardMall.Application.Features.Admin;

/// <summary>
/// What every Admin action on an account starts with: the caller is an Admin, the account exists, and it is
/// not the caller's own (an Admin who disabled or demoted themselves could lock the shop out of its own users page).
/// </summary>
internal sealed class UserAdministration(UserManager<ShopUser> users, ICurrentUser currentUser, Forgetting forgetting)
{
    public UserManager<ShopUser> Users => users;

    public async Task<ShopUser> OtherAccountAsync(Guid userId)
    {
        var admin = currentUser.RequireAnyRole(ShopRoles.Admin);
        var user = await users.FindByIdAsync(userId.ToString()) ?? throw new NotFoundException(AppText.Get("Wallet.UserNotFound"));
        if (user.Id == admin)
            throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Get("Admin.Users.NotYourself"));
        // Whatever the Admin changes (access, roles, keys) must reach the account's API calls at once, on every node.
        forgetting.Forget(new Stale.Account(user.Id));
        return user;
    }

    public static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException("Identity refused an account change: " + string.Join(", ", result.Errors.Select(e => e.Code)));
    }
}
