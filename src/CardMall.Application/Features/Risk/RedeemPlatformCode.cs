using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.CardKeys;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Risk;

/// <summary>
/// A signed-in user redeems a code the platform itself issues (CardMall Plus) on the redeem page. The code
/// must have been sold — to anybody: resellers buy these codes to sell on and buyers give them as presents,
/// so the account redeeming it need not be the one that bought it; the buyer's order still holds the key,
/// and a suspicious burst still reaches that buyer through the multi-device rule. Every try on one of our
/// platform codes, refused or not, is an activation event like a supplier's, so the same rule watches it.
/// A refusal is an outcome, not an exception, so the attempt is kept; it never repeats the code back.
/// </summary>
public sealed record RedeemPlatformCode(string? Code, string? DeviceId) : ICommand<CodeRedemption>
{
    public override string ToString() => "RedeemPlatformCode(****)";
}

public sealed class RedeemPlatformCodeValidator : AbstractValidator<RedeemPlatformCode>
{
    public RedeemPlatformCodeValidator()
    {
        RuleFor(x => x.Code).Must(c => !string.IsNullOrWhiteSpace(c)).WithMessage(_ => AppText.Get("Redeem.CodeRequired"))
            .MaximumLength(128).WithMessage(_ => AppText.Get("Redeem.Unknown"));
        RuleFor(x => x.DeviceId).MaximumLength(128);
    }
}

internal sealed class RedeemPlatformCodeHandler(ICardMallDb db, ICurrentUser currentUser, ICardKeyVault vault, IMediator mediator, TimeProvider clock)
    : IRequestHandler<RedeemPlatformCode, CodeRedemption>
{
    public async Task<CodeRedemption> Handle(RedeemPlatformCode request, CancellationToken ct)
    {
        currentUser.RequireUserId();
        var code = request.Code!.Trim();
        var hash = vault.Fingerprint(ICardKeyVault.Normalize(code));
        // Two tries of one code at once take turns: only the first redeems it.
        var key = await db.Locks.LockAsync<CardKey, byte[]>(k => k.CodeHash, hash, ct);
        var product = key is null ? null : await db.Products.AsNoTracking().FirstAsync(p => p.Id == key.ProductId, ct);
        // Another platform's key gets the same answer as no key at all: this page must not tell anyone
        // which codes are real.
        if (key is null || product is null || !product.IsPlatformIssued) return new CodeRedemption(RedemptionOutcome.Unknown, null);

        var now = clock.GetUtcNow();
        var outcome = key.State switch
        {
            CardKeyState.Sold when key.ExpiresAt <= now => RedemptionOutcome.Expired,
            CardKeyState.Sold => RedemptionOutcome.Redeemed,
            CardKeyState.Redeemed => RedemptionOutcome.AlreadyRedeemed,
            CardKeyState.Frozen => RedemptionOutcome.Frozen,
            CardKeyState.Void => RedemptionOutcome.Void,
            // Never sold: nobody should hold it. The try is kept, and the answer is the unknown code's.
            _ => RedemptionOutcome.Unknown,
        };
        var result = outcome switch
        {
            RedemptionOutcome.Redeemed => RecordActivation.Success,
            RedemptionOutcome.AlreadyRedeemed => "already_redeemed",
            RedemptionOutcome.Unknown => "not_sold",
            _ => outcome.ToString().ToLowerInvariant(),
        };
        var device = string.IsNullOrWhiteSpace(request.DeviceId) ? "unknown" : request.DeviceId.Trim();
        await mediator.Send(new RecordActivation(null, code, device, currentUser.IpAddress, now, result), ct);
        return new CodeRedemption(outcome, outcome == RedemptionOutcome.Redeemed ? product.Name(VisitorLanguage.IsEnglish) : null);
    }
}

public enum RedemptionOutcome
{
    Redeemed = 0,
    /// <summary>No such code, or not one the platform issues.</summary>
    Unknown = 1,
    AlreadyRedeemed = 2,
    Frozen = 3,
    /// <summary>Withdrawn: replaced or refunded.</summary>
    Void = 4,
    Expired = 5,
}

/// <summary>What the redeem page tells the user; <see cref="ProductName"/> only when it was redeemed.</summary>
public sealed record CodeRedemption(RedemptionOutcome Outcome, string? ProductName);
