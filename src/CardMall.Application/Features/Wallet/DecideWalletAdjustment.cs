using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Audit;
using CardMall.Domain.Common;
using CardMall.Domain.Wallets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Wallet;

/// <summary>
/// A second Operator or Admin approves (the money moves now) or rejects an adjustment that waits above the
/// four-eyes amount. The requester never decides their own (403 forbidden). Decided once: a second
/// decision, even one racing the first, finds it decided (409 invalid_state) and moves nothing.
/// </summary>
public sealed record DecideWalletAdjustment(Guid AdjustmentId, bool Approve) : IAuditedCommand<WalletAdjustmentDecided>
{
    public AuditNote Audit(WalletAdjustmentDecided result) => new(
        Approve ? AuditActions.WalletAdjustmentApproved : AuditActions.WalletAdjustmentRejected, result.UserId.ToString(),
        $"adjustment {AdjustmentId}: {AuditNotes.Money(result.Amount)}" + (Approve ? $", balance now {result.Balance:0.00}" : ", nothing moved"));
}

internal sealed class DecideWalletAdjustmentHandler(ICardMallDb db, ICurrentUser currentUser, TimeProvider clock)
    : IRequestHandler<DecideWalletAdjustment, WalletAdjustmentDecided>
{
    public async Task<WalletAdjustmentDecided> Handle(DecideWalletAdjustment request, CancellationToken cancellationToken)
    {
        var decider = currentUser.RequireAnyRole(ShopRoles.Operator, ShopRoles.Admin);
        // Not tracked: the adjustment is read again below, after the lock, as it is then.
        var userId = await db.WalletAdjustments.Where(a => a.Id == request.AdjustmentId).Select(a => (Guid?)a.UserId).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException(AppText.Get("Wallet.AdjustmentNotFound"));
        var now = clock.GetUtcNow();
        // The wallet's lock orders this decision after any other decision or movement of this wallet.
        var wallet = await db.LockOrCreateAsync(userId, now, cancellationToken);
        var adjustment = await db.WalletAdjustments.FirstAsync(a => a.Id == request.AdjustmentId, cancellationToken);

        if (adjustment.IsOwnRequest(decider))
            throw new DomainRuleException(ErrorCodes.Forbidden, AppText.Get("Wallet.OwnAdjustment"));
        if (!adjustment.IsPending)
            throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Get("Wallet.AdjustmentDecided"));

        if (request.Approve)
        {
            if (wallet.Balance + adjustment.Amount < 0)
                throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Get("Wallet.WouldGoNegative"));
            adjustment.Approve(decider, now);
            // The requester's line, as if made directly: the ledger reads the same either way; the approver is on the request and the audit log.
            db.LedgerEntries.Add(wallet.Post(LedgerKind.Adjustment, adjustment.Amount, adjustment.LedgerReference, now, adjustment.RequestedBy, adjustment.Reason));
        }
        else
        {
            adjustment.Reject(decider, now);
        }
        return new WalletAdjustmentDecided(adjustment.Id, adjustment.UserId, adjustment.Amount, adjustment.Status, wallet.Balance);
    }
}

public sealed record WalletAdjustmentDecided(Guid AdjustmentId, Guid UserId, decimal Amount, WalletAdjustmentStatus Status, decimal Balance);
