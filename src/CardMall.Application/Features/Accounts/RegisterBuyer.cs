using CardMall.Application.Abstractions;
using CardMall.Application.Accounts;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using FluentValidation;
using MediatR;

namespace CardMall.Application.Features.Accounts;

/// <summary>A visitor opens a buyer account with e-mail and password.</summary>
public sealed record RegisterBuyer(string Email, string Password, string ConfirmPassword, string? DisplayName)
    : ICommand<RegisteredBuyer>;

public sealed class RegisterBuyerValidator : AbstractValidator<RegisterBuyer>
{
    public RegisterBuyerValidator()
    {
        RuleFor(x => x.Email).NotEmpty().WithMessage(_ => AppText.Get("Account.EmailRequired"))
            .EmailAddress().WithMessage(_ => AppText.Get("Account.EmailInvalid"))
            .MaximumLength(200).WithMessage(_ => AppText.Get("Account.EmailInvalid"));
        RuleFor(x => x.Password).NotEmpty().WithMessage(_ => AppText.Get("Account.PasswordRequired"))
            .MinimumLength(8).WithMessage(_ => AppText.Get("Account.PasswordTooShort"))
            .MaximumLength(128).WithMessage(_ => AppText.Get("Account.PasswordTooLong"));
        RuleFor(x => x.ConfirmPassword).Equal(x => x.Password).WithMessage(_ => AppText.Get("Account.PasswordsDiffer"));
        RuleFor(x => x.DisplayName).MaximumLength(50).WithMessage(_ => AppText.Get("Account.DisplayNameTooLong"));
    }
}

internal sealed class RegisterBuyerHandler(AccountOpening accounts) : IRequestHandler<RegisterBuyer, RegisteredBuyer>
{
    public async Task<RegisteredBuyer> Handle(RegisterBuyer request, CancellationToken cancellationToken)
    {
        var user = await accounts.OpenAsync(request.Email, request.Password, request.DisplayName ?? "", ShopRoles.Buyer, MemberTier.Regular);
        return new RegisteredBuyer(user.Id);
    }
}

public sealed record RegisteredBuyer(Guid UserId);
