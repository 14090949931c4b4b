using CardMall.Application.Abstractions;
using CardMall.Application.Accounts;
using CardMall.Application.Features.Notifications;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Identity;

namespace CardMall.Application.Features.Accounts;

/// <summary>
/// A visitor opens a buyer account with e-mail and password, and is asked to confirm the address through a
/// link mailed to it. An address that already has an account gets the same answer ("check your mail"); its
/// owner is mailed instead (or, while still unconfirmed, sent the confirmation again), so registration never
/// tells a stranger which addresses have accounts. The visitor is not signed in: that would tell too.
/// </summary>
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

internal sealed class RegisterBuyerHandler(AccountOpening accounts, UserManager<ShopUser> users, ICardMallDb db, TimeProvider clock)
    : IRequestHandler<RegisterBuyer, RegisteredBuyer>
{
    public async Task<RegisteredBuyer> Handle(RegisterBuyer request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (await users.FindByEmailAsync(request.Email.Trim()) is { } owner)
        {
            // The password is still checked and hashed, so both answers take as long and refuse the same weak passwords.
            foreach (var validator in users.PasswordValidators)
                AccountOpening.Throw(await validator.ValidateAsync(users, new ShopUser(), request.Password));
            users.PasswordHasher.HashPassword(owner, request.Password);
            if (owner.EmailConfirmed) db.Send(owner.Id, AccountMail.RegistrationAttempt, "/Account/Login", now, email: true);
            else await AccountMail.SendConfirmationAsync(db, users, owner, now);
            await db.SaveChangesAsync(cancellationToken);
            return new RegisteredBuyer(null);
        }

        var user = await accounts.OpenAsync(request.Email, request.Password, request.DisplayName ?? "", ShopRoles.Buyer, MemberTier.Regular,
            emailConfirmed: false);
        await AccountMail.SendConfirmationAsync(db, users, user, now);
        await db.SaveChangesAsync(cancellationToken);
        return new RegisteredBuyer(user.Id);
    }
}

/// <summary><see cref="UserId"/> is null when the address already had an account (never shown to the visitor).</summary>
public sealed record RegisteredBuyer(Guid? UserId);
