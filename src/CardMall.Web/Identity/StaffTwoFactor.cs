using System.Security.Claims;
using CardMall.Domain.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;

namespace CardMall.Web.Identity;

/// <summary>
/// Staff (Agent, Supervisor, Operator, Admin) move money and keys, so their browser sessions must have been
/// signed in with a second factor (CardMall:SignIn:RequireStaffTwoFactor, on by default). Part of the staff
/// and operator policies: a staff session signed in with a password only is sent to enrol
/// (/Account/Manage/TwoFactor) instead of being let in. API keys are not sessions and keep working: they are
/// long random secrets, issued and revoked on the account page (docs/operations.md).
/// </summary>
public sealed class StaffTwoFactorRequirement : IAuthorizationRequirement;

internal sealed class StaffTwoFactorHandler(IConfiguration configuration) : AuthorizationHandler<StaffTwoFactorRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, StaffTwoFactorRequirement requirement)
    {
        if (!StaffTwoFactor.IsMissing(context.User, configuration)) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}

public static class StaffTwoFactor
{
    public const string EnrolPath = "/Account/Manage/TwoFactor";

    public static bool IsRequired(IConfiguration configuration) =>
        configuration.GetValue<bool?>("CardMall:SignIn:RequireStaffTwoFactor") ?? true;

    /// <summary>A staff session, signed in through the pages without a second factor, while one is required.</summary>
    public static bool IsMissing(ClaimsPrincipal user, IConfiguration configuration) =>
        IsRequired(configuration)
        && ShopRoles.Staff.Any(user.IsInRole)
        && !user.Identities.Any(i => i.IsAuthenticated && i.AuthenticationType == ApiKeyAuthenticationHandler.SchemeName)
        // Identity's sign-in records how: "mfa" after an authenticator or recovery code, "pwd" after a password only.
        && !user.HasClaim("amr", "mfa");

    /// <summary>Where a refused staff session goes: to enrol, rather than to "access denied".</summary>
    public static Task RedirectToAccessDeniedAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        var configuration = context.HttpContext.RequestServices.GetRequiredService<IConfiguration>();
        if (IsMissing(context.HttpContext.User, configuration))
        {
            var back = context.Request.PathBase + context.Request.Path + context.Request.QueryString;
            context.Response.Redirect($"{context.Request.PathBase}{EnrolPath}?required=true&returnUrl={Uri.EscapeDataString(back)}");
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }
        return Task.CompletedTask;
    }
}
