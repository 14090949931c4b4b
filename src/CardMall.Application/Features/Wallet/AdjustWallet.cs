using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Audit;
using CardMall.Domain.Common;
using CardMall.Domain.Wallets;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CardMall.Application.Features.Wallet;

/// <summary>
/// An operator corrects a balance, up or down, with a reason. The ledger line carries the operator and
/// the reason. Above the four-eyes amount (<see cref="AdjustmentOptions.FourEyesAmount"/>, either way) nothing
/// moves: the adjustment waits for a second Operator or Admin (<see cref="DecideWalletAdjustment"/>). With a
/// <see cref="RequestKey"/> (the API's Idempotency-Key, the form's hidden key) a retried or double-submitted
/// adjustment is applied, or waits, once.
/// </summary>
public sealed record AdjustWallet(Guid UserId, decimal Amount, string Reason, string? RequestKey = null) : IAuditedCommand<WalletAdjustmentOutcome>
{
    public AuditNote Audit(WalletAdjustmentOutcome result) => result.PendingAdjustmentId is { } pending
        ? new(AuditActions.WalletAdjustmentRequested, UserId.ToString(), $"adjustment {pending}: {AuditNotes.Money(Amount)} waits for a second person; reason: {Reason.Trim()}")
        : new(AuditActions.WalletAdjusted, UserId.ToString(), $"amount {AuditNotes.Money(Amount)}, balance now {result.Balance:0.00}; reason: {Reason.Trim()}");
}

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

internal sealed class AdjustWalletHandler(ICardMallDb db, ICurrentUser currentUser, TimeProvider clock, IOptions<AdjustmentOptions> options)
    : IRequestHandler<AdjustWallet, WalletAdjustmentOutcome>
{
    public async Task<WalletAdjustmentOutcome> Handle(AdjustWallet request, CancellationToken cancellationToken)
    {
        var operatorId = currentUser.RequireAnyRole(ShopRoles.Operator, ShopRoles.Admin);
        if (!await db.Users.AnyAsync(u => u.Id == request.UserId, cancellationToken))
            throw new NotFoundException(AppText.Get("Wallet.UserNotFound"));
        var now = clock.GetUtcNow();
        // Every movement and every decision on this wallet takes turns behind its lock, so retries with
        // the same key see the first one's line or request.
        var wallet = await db.LockOrCreateAsync(request.UserId, now, cancellationToken);
        var requestKey = request.RequestKey ?? Guid.NewGuid().ToString("N");
        var reference = "ADJ-" + requestKey;

        if (request.RequestKey is not null)
        {
            var earlier = await db.WalletAdjustments.AsNoTracking()
                .FirstOrDefaultAsync(a => a.UserId == request.UserId && a.RequestKey == requestKey, cancellationToken);
            if (earlier is not null)
            {
                if (earlier.Amount != request.Amount)
                    throw new DomainRuleException(ErrorCodes.IdempotencyKeyReused, AppText.Get("Orders.IdempotencyKeyReused"));
                return earlier.IsPending ? WalletAdjustmentOutcome.Waiting(earlier.Id, wallet.Balance) : WalletAdjustmentOutcome.Applied(wallet.Balance);
            }
            var posted = await db.LedgerEntries.FirstOrDefaultAsync(
                e => e.UserId == request.UserId && e.Kind == LedgerKind.Adjustment && e.Reference == reference, cancellationToken);
            if (posted is not null)
            {
                if (posted.Amount != request.Amount)
                    throw new DomainRuleException(ErrorCodes.IdempotencyKeyReused, AppText.Get("Orders.IdempotencyKeyReused"));
                return WalletAdjustmentOutcome.Applied(wallet.Balance);
            }
        }

        if (Math.Abs(request.Amount) > options.Value.FourEyesAmount)
        {
            var waiting = new WalletAdjustment(request.UserId, request.Amount, request.Reason.Trim(), operatorId, requestKey, now);
            db.WalletAdjustments.Add(waiting);
            return WalletAdjustmentOutcome.Waiting(waiting.Id, wallet.Balance);
        }

        if (wallet.Balance + request.Amount < 0)
            throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(request.Amount), AppText.Get("Wallet.WouldGoNegative"))]);
        db.LedgerEntries.Add(wallet.Post(LedgerKind.Adjustment, request.Amount, reference, now, operatorId, request.Reason.Trim()));
        return WalletAdjustmentOutcome.Applied(wallet.Balance);
    }
}

/// <summary>Either the money moved (the new balance), or the adjustment waits for a second person (its id; the balance as it stands).</summary>
public sealed record WalletAdjustmentOutcome(decimal Balance, Guid? PendingAdjustmentId)
{
    public bool IsPending => PendingAdjustmentId is not null;

    public static WalletAdjustmentOutcome Applied(decimal balance) => new(balance, null);

    public static WalletAdjustmentOutcome Waiting(Guid adjustmentId, decimal balance) => new(balance, adjustmentId);
}
