using CardMall.Application.Abstractions;
using CardMall.Application.Accounts;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Audit;
using CardMall.Domain.Common;
using FluentValidation;
using MediatR;

namespace CardMall.Application.Features.Admin;

/// <summary>
/// An operator opens an account and gets its first API key (POST /api/v1/admin/users). Only an Admin opens
/// Supervisor, Operator or Admin accounts: an Operator who could would hold every power of the shop.
/// </summary>
public sealed record CreateUser(string Email, string Password, string Role, string Tier) : IAuditedCommand<CreatedUser>
{
    public AuditNote Audit(CreatedUser result) => new(AuditActions.UserCreated, result.UserId.ToString(), $"{Email.Trim()} as {Role}, tier {Tier}, with an API key");

    /// <summary>The password never reaches a log or an exception.</summary>
    public override string ToString() => $"CreateUser({Email}, ****, {Role}, {Tier})";
}

public sealed class CreateUserValidator : AbstractValidator<CreateUser>
{
    public CreateUserValidator()
    {
        RuleFor(x => x.Email).NotEmpty().WithMessage(_ => AppText.Get("Account.EmailRequired"))
            .EmailAddress().WithMessage(_ => AppText.Get("Account.EmailInvalid"))
            .MaximumLength(200).WithMessage(_ => AppText.Get("Account.EmailInvalid"));
        RuleFor(x => x.Password).NotEmpty().WithMessage(_ => AppText.Get("Account.PasswordRequired"))
            .MinimumLength(8).WithMessage(_ => AppText.Get("Account.PasswordTooShort"))
            .MaximumLength(128).WithMessage(_ => AppText.Get("Account.PasswordTooLong"));
        RuleFor(x => x.Role).Must(r => r is not null && ShopRoles.IsKnown(r))
            .WithMessage(_ => AppText.Format("Admin.RoleUnknown", string.Join(", ", ShopRoles.All)));
        RuleFor(x => x.Tier).Must(t => MemberTiers.TryParse(t, out _))
            .WithMessage(_ => AppText.Get("Admin.TierUnknown"));
    }
}

internal sealed class CreateUserHandler(AccountOpening accounts, ICardMallDb db, ICurrentUser currentUser, TimeProvider clock)
    : IRequestHandler<CreateUser, CreatedUser>
{
    public async Task<CreatedUser> Handle(CreateUser request, CancellationToken cancellationToken)
    {
        if (!currentUser.IsInRole(ShopRoles.Operator) && !currentUser.IsInRole(ShopRoles.Admin))
            throw new DomainRuleException(ErrorCodes.Forbidden, AppText.Get("Common.Forbidden"));
        if (!ShopRoles.MayGrant(request.Role, currentUser.IsInRole(ShopRoles.Admin)))
            throw new DomainRuleException(ErrorCodes.Forbidden, AppText.Format("Admin.OnlyAdminGrants", request.Role));
        // The validator has already refused an unknown tier.
        var tier = MemberTiers.TryParse(request.Tier, out var parsed) ? parsed : MemberTier.Regular;
        var user = await accounts.OpenAsync(request.Email, request.Password, "", request.Role, tier);
        var (key, plain) = ApiKey.Issue(user.Id, "created by operator", clock.GetUtcNow());
        db.ApiKeys.Add(key);
        return new CreatedUser(user.Id, plain);
    }
}

public sealed record CreatedUser(Guid UserId, string ApiKey);
