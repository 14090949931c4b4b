using CardMall.Application.Abstractions;
using CardMall.Application.Accounts;
using CardMall.Application.Localization;
using CardMall.Domain.Common;
using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Identity;

namespace CardMall.Application.Features.Accounts;

/// <summary>A signed-in user changes their password, proving the current one.</summary>
public sealed record ChangePassword(string CurrentPassword, string NewPassword, string ConfirmPassword) : ICommand<Unit>;

public sealed class ChangePasswordValidator : AbstractValidator<ChangePassword>
{
    public ChangePasswordValidator()
    {
        RuleFor(x => x.CurrentPassword).NotEmpty().WithMessage(_ => AppText.Get("Account.PasswordRequired"));
        RuleFor(x => x.NewPassword).NotEmpty().WithMessage(_ => AppText.Get("Account.PasswordRequired"))
            .MinimumLength(8).WithMessage(_ => AppText.Get("Account.PasswordTooShort"))
            .MaximumLength(128).WithMessage(_ => AppText.Get("Account.PasswordTooLong"));
        RuleFor(x => x.ConfirmPassword).Equal(x => x.NewPassword).WithMessage(_ => AppText.Get("Account.PasswordsDiffer"));
    }
}

internal sealed class ChangePasswordHandler(UserManager<ShopUser> users, ICurrentUser currentUser)
    : IRequestHandler<ChangePassword, Unit>
{
    public async Task<Unit> Handle(ChangePassword request, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(currentUser.RequireUserId().ToString())
            ?? throw new NotFoundException("Account not found.");
        var result = await users.ChangePasswordAsync(user, request.CurrentPassword, request.NewPassword);
        // A wrong current password belongs to the current-password field; rule failures to the new one.
        if (result.Errors.Any(e => e.Code == "PasswordMismatch"))
            throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(request.CurrentPassword), AppText.Get("Account.CurrentPasswordWrong"))]);
        AccountOpening.Throw(result, nameof(request.NewPassword));
        return Unit.Value;
    }
}
