using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Identity;

namespace CardMall.Application.Accounts;

/// <summary>
/// Opens an account with a role and a tier. Shared by self-registration, the operator API and the
/// demo data's named accounts, so every account gets the same checks (the demo's background customers
/// are written in bulk by the seed instead, DemoBackground). Identity's refusals (weak password, taken
/// e-mail) become field errors like any other validation failure.
/// </summary>
internal sealed class AccountOpening(UserManager<ShopUser> users, Abstractions.ICardMallDb db, TimeProvider clock)
{
    /// <param name="emailConfirmed">False for self-registration: the address is confirmed by the link mailed to it.</param>
    public async Task<ShopUser> OpenAsync(string email, string password, string displayName, string role, MemberTier tier, bool emailConfirmed = true)
    {
        var user = new ShopUser
        {
            Id = Guid.NewGuid(),
            UserName = email.Trim(),
            Email = email.Trim(),
            EmailConfirmed = emailConfirmed,
            DisplayName = string.IsNullOrWhiteSpace(displayName) ? email.Split('@')[0] : displayName.Trim(),
            Tier = tier,
            CreatedAt = clock.GetUtcNow(),
        };
        Throw(await users.CreateAsync(user, password));
        Throw(await users.AddToRoleAsync(user, role));
        db.Wallets.Add(new Domain.Wallets.Wallet(user.Id, clock.GetUtcNow()));
        await db.SaveChangesAsync();
        return user;
    }

    internal static void Throw(IdentityResult result, string passwordField = "Password")
    {
        if (result.Succeeded) return;
        var failures = result.Errors.Select(e => new ValidationFailure(FieldOf(e.Code, passwordField), Describe(e))).ToList();
        throw new ValidationException(failures);
    }

    private static string FieldOf(string code, string passwordField) =>
        code.StartsWith("Password", StringComparison.Ordinal) ? passwordField
        : code is "DuplicateEmail" or "DuplicateUserName" or "InvalidEmail" or "InvalidUserName" ? "Email"
        : "";

    private static string Describe(IdentityError e) => e.Code switch
    {
        "DuplicateEmail" or "DuplicateUserName" => AppText.Get("Account.EmailTaken"),
        "PasswordMismatch" => AppText.Get("Account.CurrentPasswordWrong"),
        "PasswordTooShort" => AppText.Get("Account.PasswordTooShort"),
        "PasswordRequiresDigit" => AppText.Get("Account.PasswordNeedsDigit"),
        "PasswordRequiresLower" or "PasswordRequiresUpper" => AppText.Get("Account.PasswordNeedsLetter"),
        "PasswordRequiresNonAlphanumeric" => AppText.Get("Account.PasswordNeedsSymbol"),
        _ => e.Description,
    };
}
