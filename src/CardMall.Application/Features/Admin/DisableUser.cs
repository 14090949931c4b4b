using CardMall.Application.Abstractions;
using CardMall.Domain.Audit;
using MediatR;

namespace CardMall.Application.Features.Admin;

/// <summary>
/// An Admin disables an account (POST /api/v1/admin/users/{userId}/disable): from the next request on it
/// cannot sign in, its signed-in sessions end and its API keys answer 401. The keys stay as they were, so
/// enabling the account again (<see cref="EnableUser"/>) restores them; revoke them to end them for good.
/// </summary>
public sealed record DisableUser(Guid UserId) : IAuditedCommand<UserAccess>
{
    public AuditNote Audit(UserAccess result) => new(AuditActions.UserDisabled, UserId.ToString(), $"{result.Email} disabled");
}

internal sealed class DisableUserHandler(UserAdministration admin, TimeProvider clock) : IRequestHandler<DisableUser, UserAccess>
{
    public async Task<UserAccess> Handle(DisableUser request, CancellationToken cancellationToken)
    {
        var user = await admin.OtherAccountAsync(request.UserId);
        if (user.DisabledAt is null)
        {
            user.DisabledAt = clock.GetUtcNow();
            // A new stamp ends every cookie session (checked on each request) and saves the change.
            UserAdministration.Check(await admin.Users.UpdateSecurityStampAsync(user));
        }
        return new UserAccess(user.Id, user.Email ?? "", user.DisabledAt);
    }
}

/// <summary>An account's access after an Admin's change: disabled since when, or null when it may sign in.</summary>
public sealed record UserAccess(Guid UserId, string Email, DateTimeOffset? DisabledAt);
