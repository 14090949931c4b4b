using CardMall.Application.Abstractions;
using CardMall.Domain.Audit;
using MediatR;

namespace CardMall.Application.Features.Admin;

/// <summary>An Admin enables a disabled account again: it may sign in, and its unrevoked API keys work again.</summary>
public sealed record EnableUser(Guid UserId) : IAuditedCommand<UserAccess>
{
    public AuditNote Audit(UserAccess result) => new(AuditActions.UserEnabled, UserId.ToString(), $"{result.Email} enabled");
}

internal sealed class EnableUserHandler(UserAdministration admin) : IRequestHandler<EnableUser, UserAccess>
{
    public async Task<UserAccess> Handle(EnableUser request, CancellationToken cancellationToken)
    {
        var user = await admin.OtherAccountAsync(request.UserId);
        if (user.DisabledAt is not null)
        {
            user.DisabledAt = null;
            UserAdministration.Check(await admin.Users.UpdateAsync(user));
        }
        return new UserAccess(user.Id, user.Email ?? "", null);
    }
}
