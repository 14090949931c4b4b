using CardMall.Application.Abstractions;
using CardMall.Domain.Audit;
using MediatR;

namespace CardMall.Application.Features.Admin;

/// <summary>
/// An Admin resets an account's two-factor sign-in (a lost phone): the authenticator key is replaced and
/// two-factor switched off, so the owner signs in with the password and enrols again. Their sessions end.
/// </summary>
public sealed record ResetTwoFactor(Guid UserId) : IAuditedCommand<UserAccess>
{
    public AuditNote Audit(UserAccess result) => new(AuditActions.UserTwoFactorReset, UserId.ToString(), $"{result.Email}: authenticator reset, two-factor off");
}

internal sealed class ResetTwoFactorHandler(UserAdministration admin) : IRequestHandler<ResetTwoFactor, UserAccess>
{
    public async Task<UserAccess> Handle(ResetTwoFactor request, CancellationToken cancellationToken)
    {
        var user = await admin.OtherAccountAsync(request.UserId);
        // Both change the security stamp, which ends the account's cookie sessions.
        UserAdministration.Check(await admin.Users.ResetAuthenticatorKeyAsync(user));
        UserAdministration.Check(await admin.Users.SetTwoFactorEnabledAsync(user, false));
        return new UserAccess(user.Id, user.Email ?? "", user.DisabledAt);
    }
}
