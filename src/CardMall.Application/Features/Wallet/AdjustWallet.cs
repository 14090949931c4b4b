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
/// the reason: the audit trail of every adjustment.
/// </summary>
public sealed record AdjustWallet(Guid UserId, decimal Amount, string Reason) : ICommand<WalletView>;

public sealed class AdjustWalletValidator : AbstractValidator<AdjustWallet>
{
    public AdjustWalletValidator()
    {
        RuleFor(x => x.Amount).Must(a => a != 0 && Math.Abs(a) <= 1_000_000 && decimal.Round(a, 2) == a).WithMessage(_ => AppText.Get("Wallet.AmountInvalid"));
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
        var wallet = (await db.Wallets.FromSql($"SELECT * FROM wallets WHERE user_id = {request.UserId} FOR UPDATE").ToListAsync(cancellationToken)).FirstOrDefault();
        if (wallet is null)
        {
            wallet = new Domain.Wallets.Wallet(request.UserId, now);
            db.Wallets.Add(wallet);
        }
        if (wallet.Balance + request.Amount < 0)
            throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(request.Amount), AppText.Get("Wallet.WouldGoNegative"))]);
        db.LedgerEntries.Add(wallet.Post(LedgerKind.Adjustment, request.Amount, "ADJ-" + now.ToUnixTimeMilliseconds(), now, operatorId, request.Reason.Trim()));
        return new WalletView(wallet.Balance, "CNY");
    }
}
