using CardMall.Application.Abstractions;
using CardMall.Application.Accounts;
using CardMall.Domain.Accounts;
using MediatR;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Accounts;

/// <summary>
/// The password step of signing in. Wrong passwords are counted per account and client address
/// (<see cref="SignInFailures"/>): five lock that pair only, so nobody can lock another person out from
/// elsewhere. Identity's own lockout is left to the second step (codes), which only the password's holder
/// reaches. An unknown e-mail is counted, hashed and refused exactly like a wrong password, so neither the
/// answer nor its timing says whether an account exists.
/// </summary>
public sealed record SignInWithPassword(string Email, string Password, bool RememberMe, string Source) : ICommand<PasswordSignIn>;

internal sealed class SignInWithPasswordHandler(ICardMallDb db, SignInManager<ShopUser> signIn, TimeProvider clock)
    : IRequestHandler<SignInWithPassword, PasswordSignIn>
{
    // Verified against when the e-mail is unknown, so that answer costs the same time as a wrong password.
    private static readonly string UnknownAccountHash = new PasswordHasher<ShopUser>().HashPassword(new ShopUser(), Guid.NewGuid().ToString());

    public async Task<PasswordSignIn> Handle(SignInWithPassword request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var account = SignInFailures.Normalise(request.Email);
        var source = request.Source.Length > 64 ? request.Source[..64] : request.Source;
        var failures = await db.SignInFailures.FirstOrDefaultAsync(f => f.Account == account && f.Source == source, cancellationToken);
        if (failures?.IsLocked(now) == true) return new PasswordSignIn(SignInOutcome.LockedOut, null);

        var user = await signIn.UserManager.FindByEmailAsync(request.Email.Trim());
        if (user is null)
        {
            signIn.UserManager.PasswordHasher.VerifyHashedPassword(new ShopUser(), UnknownAccountHash, request.Password);
            return await FailedAsync(failures, account, source, now, cancellationToken);
        }

        var result = await signIn.PasswordSignInAsync(user, request.Password, request.RememberMe, lockoutOnFailure: false);
        if (result.Succeeded || result.RequiresTwoFactor)
        {
            if (failures is not null) db.SignInFailures.Remove(failures);
            await db.SaveChangesAsync(cancellationToken);
            return new PasswordSignIn(result.Succeeded ? SignInOutcome.SignedIn : SignInOutcome.NeedsCode, user.Id);
        }
        // Locked by wrong codes at the second step (or disabled): the same answer as a locked pair.
        if (result.IsLockedOut || result.IsNotAllowed) return new PasswordSignIn(SignInOutcome.LockedOut, null);
        return await FailedAsync(failures, account, source, now, cancellationToken);
    }

    private async Task<PasswordSignIn> FailedAsync(SignInFailures? failures, string account, string source, DateTimeOffset now, CancellationToken ct)
    {
        if (failures is null) db.SignInFailures.Add(failures = new SignInFailures(account, source));
        failures.Failed(now);
        await db.SaveChangesAsync(ct);
        return new PasswordSignIn(failures.IsLocked(now) ? SignInOutcome.LockedOut : SignInOutcome.Refused, null);
    }
}

public enum SignInOutcome
{
    SignedIn,
    /// <summary>The password was right; the account asks for an authenticator or recovery code next.</summary>
    NeedsCode,
    /// <summary>Wrong e-mail or password (never which).</summary>
    Refused,
    LockedOut,
}

/// <summary><see cref="UserId"/> only once the password was right.</summary>
public sealed record PasswordSignIn(SignInOutcome Outcome, Guid? UserId);
