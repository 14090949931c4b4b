using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Common;
using CardMall.Domain.Wallets;
using FluentValidation;
using FluentValidation.Results;
using MediatR;
using Microsoft.Extensions.Logging;

namespace CardMall.Application.Features.Wallet;

/// <summary>
/// A gateway says a top-up's payment was made: through a notification whose signature was checked, or in
/// answer to our own query. The top-up row is locked, the amount must be the one asked for, and the
/// wallet is credited exactly once: a notification replayed any number of times, even concurrently,
/// finds the top-up already paid and credits nothing. Only the notification endpoint and the top-up
/// watcher send this; no page or API request reaches it.
/// </summary>
public sealed record SettleTopUp(string Gateway, GatewayPayment Payment) : ICommand<TopUpSettlement>;

public sealed class SettleTopUpValidator : AbstractValidator<SettleTopUp>
{
    public SettleTopUpValidator()
    {
        RuleFor(x => x.Gateway).NotEmpty().MaximumLength(32);
        RuleFor(x => x.Payment.Reference).NotEmpty().MaximumLength(32);
        RuleFor(x => x.Payment.TradeNo).NotEmpty().MaximumLength(64);
        RuleFor(x => x.Payment.Amount).GreaterThan(0);
    }
}

internal sealed class SettleTopUpHandler(ICardMallDb db, TimeProvider clock, ILogger<SettleTopUpHandler> logger)
    : IRequestHandler<SettleTopUp, TopUpSettlement>
{
    public async Task<TopUpSettlement> Handle(SettleTopUp request, CancellationToken cancellationToken)
    {
        var payment = request.Payment;
        // Every settlement of one top-up queues on its row: the second one sees the first one's result.
        var topUp = await db.Locks.LockAsync<TopUp, string>(t => t.No, payment.Reference, cancellationToken);
        if (topUp is null || !string.Equals(topUp.Gateway, request.Gateway, StringComparison.OrdinalIgnoreCase))
            throw new NotFoundException(AppText.Get("TopUp.NotFound"));

        if (payment.Amount != topUp.Amount)
        {
            logger.LogWarning("Top-up {TopUpNo}: gateway {Gateway} reported {Reported} paid for {Expected}; nothing credited",
                topUp.No, request.Gateway, payment.Amount, topUp.Amount);
            throw new ValidationException([new ValidationFailure("Amount", AppText.Get("TopUp.AmountMismatch"))]);
        }
        if (payment.Status != GatewayPaymentStatus.Paid)
            return TopUpSettlement.NotPaid;
        if (topUp.Status == TopUpStatus.Expired)
        {
            // The gateway's payment was closed when the top-up expired, so this should never happen; if it
            // does, the money is the gateway's to refund, not ours to credit silently.
            logger.LogWarning("Top-up {TopUpNo} expired before gateway {Gateway} reported it paid (trade {TradeNo}); nothing credited",
                topUp.No, request.Gateway, payment.TradeNo);
            throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Get("TopUp.Expired"));
        }

        var now = clock.GetUtcNow();
        if (!topUp.MarkPaid(payment.TradeNo, now))
            return TopUpSettlement.AlreadyCredited;

        // A buyer's first money may come from two top-ups at once.
        var wallet = await db.LockOrCreateAsync(topUp.UserId, now, cancellationToken);
        db.LedgerEntries.Add(wallet.Post(LedgerKind.TopUp, topUp.Amount, topUp.No, now));
        logger.LogInformation("Top-up {TopUpNo} credited {Amount} through gateway {Gateway}", topUp.No, topUp.Amount, request.Gateway);
        return TopUpSettlement.Credited;
    }
}

public enum TopUpSettlement
{
    /// <summary>The wallet was credited now.</summary>
    Credited = 0,

    /// <summary>An earlier notification or query already credited it: nothing more happens.</summary>
    AlreadyCredited = 1,

    /// <summary>The gateway reports the payment as not (yet) made.</summary>
    NotPaid = 2,
}
