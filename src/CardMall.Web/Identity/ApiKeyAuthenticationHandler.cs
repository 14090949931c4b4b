using System.Security.Claims;
using System.Text.Encodings.Web;
using CardMall.Domain.Accounts;
using CardMall.Domain.Common;
using CardMall.Infrastructure.Persistence;
using CardMall.Web.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CardMall.Web.Identity;

public sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions;

/// <summary>
/// <c>Authorization: Bearer &lt;api key&gt;</c>: the key is hashed and looked up; a live key signs the
/// request in as its owner with the owner's current roles. A missing or wrong key is a 401
/// problem+json, a role that does not fit is a 403 problem+json.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    CardMallDbContext db,
    RememberedSignIns signIns,
    TimeProvider clock)
    : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrWhiteSpace(header))
            return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.Fail("Authorization must be 'Bearer <api key>'.");
        var plain = header["Bearer ".Length..].Trim();
        if (plain.Length is 0 or > 200)
            return AuthenticateResult.Fail("Invalid API key.");

        var hash = ApiKey.Hash(plain);
        if (!signIns.TryGet(hash, out var claims))
        {
            var found = await SignInAsync(hash);
            if (found is null)
                return AuthenticateResult.Fail("Invalid API key.");
            claims = found;
        }
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <summary>
    /// The claims of a live key's owner, read from the database in one statement (key, owner and roles) and
    /// remembered for a moment; null for a wrong or revoked key or a disabled owner.
    /// </summary>
    private async Task<IReadOnlyList<Claim>?> SignInAsync(string hash)
    {
        var found = await (from k in db.ApiKeys
                           where k.KeyHash == hash && k.RevokedAt == null
                           join u in db.Users on k.UserId equals u.Id
                           select new
                           {
                               KeyId = k.Id,
                               k.LastUsedAt,
                               u.Id,
                               u.Email,
                               u.Tier,
                               u.DisabledAt,
                               Roles = (from ur in db.UserRoles
                                        join r in db.Roles on ur.RoleId equals r.Id
                                        where ur.UserId == u.Id
                                        select r.Name).ToList(),
                           }).AsNoTracking().FirstOrDefaultAsync(Context.RequestAborted);
        // The password lockout does not apply: anyone who knows a reseller's e-mail could otherwise
        // cut off their integration by failing five sign-ins. A key is stopped by revoking it.
        // A disabled account's keys stop at once; enabling the account again restores the unrevoked ones.
        if (found is null || found.DisabledAt is not null)
            return null;

        // Record use at most once a minute per key: a busy reseller should not turn reads into writes (and
        // the condition is repeated in the statement, so two nodes racing write it once).
        var now = clock.GetUtcNow();
        var staleBefore = now.AddMinutes(-1);
        if (found.LastUsedAt is null || found.LastUsedAt < staleBefore)
            await db.ApiKeys.Where(k => k.Id == found.KeyId && (k.LastUsedAt == null || k.LastUsedAt < staleBefore))
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), Context.RequestAborted);

        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, found.Id.ToString()),
            new(ClaimTypes.Name, found.Email ?? found.Id.ToString()),
            new("tier", found.Tier.ToApi()),
        ];
        claims.AddRange(found.Roles.Where(r => r is not null).Select(r => new Claim(ClaimTypes.Role, r!)));
        signIns.Remember(hash, found.Id, claims);
        return claims;
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var missing = string.IsNullOrWhiteSpace(Request.Headers.Authorization);
        Response.Headers.WWWAuthenticate = "Bearer";
        return ApiProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized,
            missing ? "An API key is required: send 'Authorization: Bearer <api key>'." : "The API key is not valid or has been revoked.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.WriteAsync(Context, StatusCodes.Status403Forbidden, ErrorCodes.Forbidden,
            "This API key's account is not allowed to do this.");
}
