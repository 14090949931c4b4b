using CardMall.Application.Abstractions;
using CardMall.Domain.Payments;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CardMall.Application.Features.Payments;

/// <summary>
/// One pass of the refunder: every <see cref="PaymentRefund"/> that is due is asked of its gateway (outside any
/// transaction: a gateway call never holds a row lock), and the answer is recorded by <see cref="RecordPaymentRefund"/>
/// in its own transaction. The refund number makes the gateway's refund idempotent, so a pass that dies between the
/// gateway's yes and our record asks again next time and pays nothing twice. One node's pass at a time (advisory lock).
/// </summary>
public sealed record PayBackPayments(int Limit = 50) : IRequest<PaymentsPaidBack>;

public sealed class PayBackPaymentsValidator : AbstractValidator<PayBackPayments>
{
    public PayBackPaymentsValidator() => RuleFor(x => x.Limit).InclusiveBetween(1, 1_000);
}

internal sealed class PayBackPaymentsHandler(
    ICardMallDb db, IMediator mediator, IEnumerable<IPaymentGateway> gateways, TimeProvider clock, ILogger<PayBackPaymentsHandler> logger)
    : IRequestHandler<PayBackPayments, PaymentsPaidBack>
{
    /// <summary>Advisory lock key of the refunder ("refund" in ASCII).</summary>
    private const long LockKey = 0x726566756e64;

    public async Task<PaymentsPaidBack> Handle(PayBackPayments request, CancellationToken cancellationToken)
    {
        await using var alone = await db.Locks.TryAloneAcrossTransactionsAsync(LockKey, cancellationToken);
        if (alone is null) return new PaymentsPaidBack(Ran: false, 0, 0);

        var now = clock.GetUtcNow();
        var due = await db.PaymentRefunds.AsNoTracking()
            .Where(r => r.Status == PaymentRefundStatus.Pending && r.NextAttemptAt <= now)
            .OrderBy(r => r.NextAttemptAt)
            .Take(request.Limit)
            .ToListAsync(cancellationToken);

        var done = 0;
        foreach (var refund in due)
        {
            try
            {
                var answer = await AskGatewayAsync(refund, cancellationToken);
                if (await mediator.Send(new RecordPaymentRefund(refund.Id, answer.Outcome, answer.Detail), cancellationToken))
                    done++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Paying back {RefundNo} through {Gateway} failed; the next pass tries again", refund.No, refund.Gateway);
            }
        }
        return new PaymentsPaidBack(Ran: true, due.Count, done);
    }

    private async Task<GatewayRefund> AskGatewayAsync(PaymentRefund refund, CancellationToken cancellationToken)
    {
        // The buyer chose the wallet: the gateway is not asked.
        if (refund.ToWalletRequested) return new GatewayRefund(RefundOutcome.NotSupported, "buyer_chose_wallet");
        var gateway = gateways.Find(refund.Gateway);
        if (gateway is null) return new GatewayRefund(RefundOutcome.Failed, "gateway_not_configured");
        return await gateway.RefundAsync(new RefundRequest(refund.Reference, refund.TradeNo, refund.No, refund.Amount, refund.Reason.ToString()), cancellationToken);
    }
}

/// <summary>Whether the pass ran, how many refunds were due, and how many were finished (to the payer or to a wallet).</summary>
public sealed record PaymentsPaidBack(bool Ran, int Due, int Done);
