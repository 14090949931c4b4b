using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Audit;
using CardMall.Domain.Common;
using FluentValidation;
using MediatR;

namespace CardMall.Application.Features.Admin;

/// <summary>
/// An Admin gives an account one role in place of the roles it had. The grant rule is checked here as in
/// <see cref="CreateUser"/>, so no page or endpoint can grant more than its caller may. Signed-in sessions of
/// the account end (its security stamp changes), so new powers and lost ones take effect at once.
/// </summary>
public sealed record ChangeUserRole(Guid UserId, string Role) : IAuditedCommand<UserRoleChanged>
{
    public AuditNote Audit(UserRoleChanged result) =>
        new(AuditActions.UserRoleChanged, UserId.ToString(), $"{result.Email}: {string.Join("+", result.Before)} → {Role}");
}

public sealed class ChangeUserRoleValidator : AbstractValidator<ChangeUserRole>
{
    public ChangeUserRoleValidator()
    {
        RuleFor(x => x.Role).Must(r => r is not null && ShopRoles.IsKnown(r))
            .WithMessage(_ => AppText.Format("Admin.RoleUnknown", string.Join(", ", ShopRoles.All)));
    }
}

internal sealed class ChangeUserRoleHandler(UserAdministration admin, ICurrentUser currentUser) : IRequestHandler<ChangeUserRole, UserRoleChanged>
{
    public async Task<UserRoleChanged> Handle(ChangeUserRole request, CancellationToken cancellationToken)
    {
        var user = await admin.OtherAccountAsync(request.UserId);
        if (!ShopRoles.MayGrant(request.Role, currentUser.IsInRole(ShopRoles.Admin)))
            throw new DomainRuleException(ErrorCodes.Forbidden, AppText.Format("Admin.OnlyAdminGrants", request.Role));
        var before = (await admin.Users.GetRolesAsync(user)).Order(StringComparer.Ordinal).ToList();
        if (before.Count != 1 || before[0] != request.Role)
        {
            UserAdministration.Check(await admin.Users.RemoveFromRolesAsync(user, before));
            UserAdministration.Check(await admin.Users.AddToRoleAsync(user, request.Role));
            UserAdministration.Check(await admin.Users.UpdateSecurityStampAsync(user));
        }
        return new UserRoleChanged(user.Id, user.Email ?? "", before, request.Role);
    }
}

public sealed record UserRoleChanged(Guid UserId, string Email, IReadOnlyList<string> Before, string Role);
