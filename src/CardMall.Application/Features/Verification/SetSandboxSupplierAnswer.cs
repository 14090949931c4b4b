using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Common;
using FluentValidation;
using MediatR;

namespace CardMall.Application.Features.Verification;

/// <summary>
/// An operator tells the built-in sandbox supplier what to answer for one key (unused, redeemed at a
/// time, invalid, slow, error), so every verification outcome can be shown and tested over the real HTTP
/// path. Only while the sandbox supplier is enabled; otherwise it does not exist (404). The code is
/// fingerprinted at once and never stored or echoed.
/// </summary>
public sealed record SetSandboxSupplierAnswer(string Code, string Answer, DateTimeOffset? RedeemedAt) : ICommand<SandboxAnswerSet>
{
    public override string ToString() => $"SetSandboxSupplierAnswer(****, {Answer})";
}

public sealed class SetSandboxSupplierAnswerValidator : AbstractValidator<SetSandboxSupplierAnswer>
{
    public SetSandboxSupplierAnswerValidator()
    {
        RuleFor(x => x.Code).Must(c => ICardKeyVault.Normalize(c ?? "").Length is > 0 and <= 200)
            .WithMessage(_ => AppText.Get("Verification.SandboxCodeRequired"));
        RuleFor(x => x.Answer).Must(a => SandboxAnswers.All.Contains(a))
            .WithMessage(_ => AppText.Format("Verification.SandboxAnswerInvalid", string.Join(", ", SandboxAnswers.All)));
    }
}

internal sealed class SetSandboxSupplierAnswerHandler(ISandboxSupplier sandbox, ICardKeyVault vault, ICurrentUser currentUser, TimeProvider clock)
    : IRequestHandler<SetSandboxSupplierAnswer, SandboxAnswerSet>
{
    public async Task<SandboxAnswerSet> Handle(SetSandboxSupplierAnswer request, CancellationToken cancellationToken)
    {
        currentUser.RequireAnyRole(ShopRoles.Operator, ShopRoles.Admin);
        if (!sandbox.IsEnabled) throw new NotFoundException(AppText.Get("Verification.SandboxDisabled"));

        var now = clock.GetUtcNow();
        // "Redeemed" without a time means "just now"; the other answers carry no time.
        DateTimeOffset? redeemedAt = request.Answer == SandboxAnswers.Redeemed ? (request.RedeemedAt ?? now).ToUniversalTime() : null;
        var fingerprint = vault.Fingerprint(ICardKeyVault.Normalize(request.Code));
        await sandbox.SetAnswerAsync(fingerprint, request.Answer, redeemedAt, now, cancellationToken);
        return new SandboxAnswerSet(request.Answer, redeemedAt, now, CardKeyMask.Mask(request.Code));
    }
}

public sealed record SandboxAnswerSet(string Answer, DateTimeOffset? RedeemedAt, DateTimeOffset UpdatedAt, string MaskedCode);
