using System.Security.Claims;
using CardMall.Application.Accounts;
using Microsoft.AspNetCore.Identity;

namespace CardMall.Web.Identity;

/// <summary>
/// Signs the browser in as a guest checkout's account (docs/decisions/0039): after the guest checkout, from the
/// lookup page, or by a signed link. The cookie is Identity's own, with a guest claim, so the order page, reveals,
/// tickets and chat work with their usual ownership checks, while pages that only members have (wallet, account,
/// API keys, redeem) refuse it. Not persistent: closing the browser ends it; the lookup page brings it back.
/// </summary>
public sealed class GuestSessions(SignInManager<ShopUser> signIn)
{
    public const string ClaimType = "cardmall:guest";

    /// <summary>False when the account is not a guest's or was disabled (claimed by a member): nothing is signed in.</summary>
    public async Task<bool> SignInAsync(Guid guestId)
    {
        var account = await signIn.UserManager.FindByIdAsync(guestId.ToString());
        if (account is not { IsGuest: true, DisabledAt: null }) return false;
        await signIn.SignInWithClaimsAsync(account, isPersistent: false, [new Claim(ClaimType, "1")]);
        return true;
    }

    public static bool IsGuest(ClaimsPrincipal user) => user.HasClaim(c => c.Type == ClaimType);
}
