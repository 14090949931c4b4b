using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.CardKeys;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.CardKeys;

/// <summary>
/// Master-key rotation, second half: re-seals up to <see cref="Limit"/> keys still encrypted under an
/// older master key with the current one, and says how many remain. Called repeatedly until none do,
/// after which the old master key can be removed from configuration. An admin command.
/// </summary>
public sealed record ReencryptCardKeys(int Limit = 1000) : ICommand<ReencryptedCardKeys>;

public sealed class ReencryptCardKeysValidator : AbstractValidator<ReencryptCardKeys>
{
    public const int MaxLimit = 10_000;

    public ReencryptCardKeysValidator()
    {
        RuleFor(x => x.Limit).InclusiveBetween(1, MaxLimit).WithMessage(_ => AppText.Format("Admin.Stock.ReencryptLimitInvalid", MaxLimit));
    }
}

internal sealed class ReencryptCardKeysHandler(ICardMallDb db, ICurrentUser currentUser, ICardKeyVault vault, TimeProvider clock)
    : IRequestHandler<ReencryptCardKeys, ReencryptedCardKeys>
{
    public async Task<ReencryptedCardKeys> Handle(ReencryptCardKeys request, CancellationToken cancellationToken)
    {
        var adminId = currentUser.RequireAnyRole(ShopRoles.Admin);
        var current = vault.CurrentVersion;
        // SKIP LOCKED: a key a checkout is selling right now is left for the next call, and two
        // admins (or nodes) running this at once share the work instead of waiting on each other.
        var keys = await db.Locks.ClaimKeysSealedBeforeAsync(current, request.Limit, cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var key in keys)
        {
            var oldVersion = key.KeyVersion;
            var opened = vault.Open(key);
            var resealed = vault.Seal(opened.Code, opened.Secret, key.CodeHash);
            key.Reencrypt(resealed.CodeCipher, resealed.SecretCipher, resealed.KeyVersion);
            db.CardKeyEvents.Add(CardKeyEvent.Record(key.Id, CardKeyEventKind.Reencrypted, now, adminId, $"v{oldVersion} → v{resealed.KeyVersion}"));
        }
        // Counted before this call's changes are saved, hence the subtraction.
        var older = await db.CardKeys.CountAsync(k => k.KeyVersion < current, cancellationToken);
        return new ReencryptedCardKeys(keys.Count, Math.Max(0, older - keys.Count), current);
    }
}

public sealed record ReencryptedCardKeys(int Reencrypted, int Remaining, int CurrentVersion);
