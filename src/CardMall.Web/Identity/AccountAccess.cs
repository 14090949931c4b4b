using System.Security.Claims;
using CardMall.Application.Accounts;
using CardMall.Infrastructure.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CardMall.Web.Identity;

/// <summary>
/// A disabled account stops at once, whichever door it comes through: the password sign-in refuses it
/// (<see cref="ShopSignInManager"/>), every cookie request checks the account is still enabled and its security
/// stamp unchanged (one primary-key read, remembered for two seconds by <see cref="RememberedSignIns"/>), and the API-key handler refuses its keys. Identity's own stamp
/// check runs only every 30 minutes: too late for a dismissed operator.
/// </summary>
public static class AccountAccess
{
    public static IServiceCollection AddAccountAccessChecks(this IServiceCollection services)
    {
        // Registered after AddIdentity: the last registration is the one resolved.
        services.AddScoped<SignInManager<ShopUser>, ShopSignInManager>();
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .PostConfigure<IOptions<IdentityOptions>>((cookie, identity) =>
            {
                var stampClaim = identity.Value.ClaimsIdentity.SecurityStampClaimType;
                var identityCheck = cookie.Events.OnValidatePrincipal;
                cookie.Events.OnValidatePrincipal = async context =>
                {
                    if (!await IsStillValidAsync(context.Principal, stampClaim, context.HttpContext))
                    {
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                        return;
                    }
                    await identityCheck(context);
                };
            });
        return services;
    }

    private static async Task<bool> IsStillValidAsync(ClaimsPrincipal? principal, string stampClaim, HttpContext http)
    {
        if (!Guid.TryParse(principal?.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
            return false;
        var stamp = principal!.FindFirstValue(stampClaim);
        // A buyer browsing sends many requests a second; the account was read a moment ago and anything that
        // would make the cookie invalid (disabling, a role change) forgets it at once on this node.
        var remembered = http.RequestServices.GetRequiredService<RememberedSignIns>();
        if (remembered.IsKnownValid(userId, stamp))
            return true;
        var db = http.RequestServices.GetRequiredService<CardMallDbContext>();
        var account = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.SecurityStamp, u.DisabledAt })
            .FirstOrDefaultAsync(http.RequestAborted);
        var valid = account is { DisabledAt: null } && account.SecurityStamp == stamp;
        if (valid && stamp is not null)
            remembered.RememberValid(userId, stamp);
        return valid;
    }
}

/// <summary>Identity's sign-in, which also refuses a disabled account (the same "wrong e-mail or password" answer: nothing is revealed).</summary>
public sealed class ShopSignInManager(
    UserManager<ShopUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<ShopUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<ShopUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<ShopUser> confirmation)
    : SignInManager<ShopUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(ShopUser user) =>
        user.DisabledAt is null && await base.CanSignInAsync(user);
}
