using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Common;
using CardMall.Domain.Wallets;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Wallet;

/// <summary>
/// An operator corrects a balance, up or down, with a reason. The ledger line carries the operator and
/// the reason: the audit trail of every adjustment. With a <see cref="RequestKey"/> (the API's
/// Idempotency-Key, the form's hidden key) a retried or double-submitted adjustment is applied once.
/// </summary>
public sealed record AdjustWallet(Guid UserId, decimal Amount, string Reason, string? RequestKey = null) : ICommand<WalletView>;

public sealed class AdjustWalletValidator : AbstractValidator<AdjustWallet>
{
    public AdjustWalletValidator()
    {
        RuleFor(x => x.Amount).Must(a => a != 0 && Math.Abs(a) <= 1_000_000 && decimal.Round(a, 2) == a).WithMessage(_ => AppText.Get("Wallet.AmountInvalid"));
        RuleFor(x => x.RequestKey).Length(1, 60).When(x => x.RequestKey is not null).WithMessage(_ => AppText.Get("Orders.IdempotencyKeyInvalid"));
        RuleFor(x => x.Reason).NotEmpty().WithMessage(_ => AppText.Get("Wallet.ReasonRequired"))
            .MaximumLength(500).WithMessage(_ => AppText.Get("Wallet.ReasonRequired"));
    }
}

internal sealed class AdjustWalletHandler(ICardMallDb db, ICurrentUser currentUser, TimeProvider clock) : IRequestHandler<AdjustWallet, WalletView>
{
    public async Task<WalletView> Handle(AdjustWallet request, CancellationToken cancellationToken)
    {
        var operatorId = currentUser.RequireAnyRole(ShopRoles.Operator, ShopRoles.Admin);
        if (!await db.Users.AnyAsync(u => u.Id == request.UserId, cancellationToken))
            throw new NotFoundException(AppText.Get("Wallet.UserNotFound"));
        var now = clock.GetUtcNow();
        var wallet = await db.LockOrCreateAsync(request.UserId, now, cancellationToken);

        var reference = "ADJ-" + (request.RequestKey ?? Guid.NewGuid().ToString("N"));
        if (request.RequestKey is not null)
        {
            // Behind the wallet lock, so concurrent retries see the first one's line.
            var earlier = await db.LedgerEntries.FirstOrDefaultAsync(
                e => e.UserId == request.UserId && e.Kind == LedgerKind.Adjustment && e.Reference == reference, cancellationToken);
            if (earlier is not null)
            {
                if (earlier.Amount != request.Amount)
                    throw new DomainRuleException(ErrorCodes.IdempotencyKeyReused, AppText.Get("Orders.IdempotencyKeyReused"));
                return new WalletView(wallet.Balance, "CNY");
            }
        }
        if (wallet.Balance + request.Amount < 0)
            throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(request.Amount), AppText.Get("Wallet.WouldGoNegative"))]);
        db.LedgerEntries.Add(wallet.Post(LedgerKind.Adjustment, request.Amount, reference, now, operatorId, request.Reason.Trim()));
        return new WalletView(wallet.Balance, "CNY");
    }
}
