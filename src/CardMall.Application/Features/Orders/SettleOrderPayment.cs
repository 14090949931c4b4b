using CardMall.Application.Abstractions;
using CardMall.Application.Features.Notifications;
using CardMall.Application.Localization;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Common;
using CardMall.Domain.Notifications;
using CardMall.Domain.Orders;
using CardMall.Domain.Payments;
using FluentValidation;
using FluentValidation.Results;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CardMall.Application.Features.Orders;

/// <summary>
/// A gateway says an order's payment was made: through a notification whose signature was checked, or in answer
/// to our own query. The order row is locked, so every report of one order queues and the second sees the first's
/// result. The amount must be the order's total. An order still awaiting payment is delivered now: its reserved
/// keys are sold to it, the buyer is told. The same payment reported again changes nothing. Money the order cannot
/// take — it expired and gave its keys back, or another payment already paid it — is recorded to be paid back
/// once (<see cref="PaymentRefund"/>), and the gateway is told the notification was taken.
/// Only the notification endpoint and the payment watcher send this; no page or API request reaches it.
/// </summary>
public sealed record SettleOrderPayment(string Gateway, GatewayPayment Payment) : ICommand<OrderSettlement>;

public sealed class SettleOrderPaymentValidator : AbstractValidator<SettleOrderPayment>
{
    public SettleOrderPaymentValidator()
    {
        RuleFor(x => x.Gateway).NotEmpty().MaximumLength(32);
        RuleFor(x => x.Payment.Reference).NotEmpty().MaximumLength(32);
        RuleFor(x => x.Payment.TradeNo).NotEmpty().MaximumLength(64);
        RuleFor(x => x.Payment.Amount).GreaterThan(0);
    }
}

internal sealed class SettleOrderPaymentHandler(ICardMallDb db, TimeProvider clock, ILogger<SettleOrderPaymentHandler> logger)
    : IRequestHandler<SettleOrderPayment, OrderSettlement>
{
    public async Task<OrderSettlement> Handle(SettleOrderPayment request, CancellationToken cancellationToken)
    {
        var payment = request.Payment;
        var order = await db.Locks.LockAsync<Order, string>(o => o.No, payment.Reference, cancellationToken)
            ?? throw new NotFoundException(AppText.Get("Orders.NotFound"));

        if (payment.Amount != order.Total)
        {
            logger.LogWarning("Order {OrderNo}: gateway {Gateway} reported {Reported} paid for {Expected}; nothing delivered",
                order.No, request.Gateway, payment.Amount, order.Total);
            throw new ValidationException([new ValidationFailure("Amount", AppText.Get("TopUp.AmountMismatch"))]);
        }
        if (payment.Status != GatewayPaymentStatus.Paid)
            return OrderSettlement.NotPaid;

        var now = clock.GetUtcNow();
        switch (order.Fit(request.Gateway, payment.TradeNo))
        {
            case PaymentFit.AlreadySettled:
                return OrderSettlement.AlreadyDelivered;
            case PaymentFit.PayBack:
                await PayBackAsync(order, request.Gateway, payment, now, cancellationToken);
                return OrderSettlement.PayingBack;
        }

        // The keys have been this order's since checkout (reserved, with its id): nobody else can have taken them.
        var keys = await db.CardKeys.Where(k => k.OrderId == order.Id && k.State == CardKeyState.Reserved).ToListAsync(cancellationToken);
        if (keys.Count != order.Quantity)
            throw new InvalidOperationException($"Order {order.No} holds {keys.Count} reserved keys for {order.Quantity}.");
        foreach (var key in keys)
            db.CardKeyEvents.Add(key.SellReserved(order.Id, order.UserId, now));
        order.Pay(payment.TradeNo, now);
        // A guest has no account to come back to: the e-mail (with a signed link to the order) is how the keys reach them.
        db.Send(order.UserId, NotificationKind.OrderPaid, "/Orders/" + order.No, now, email: order.IsGuestOrder, order.No);
        logger.LogInformation("Order {OrderNo} paid through gateway {Gateway} and delivered", order.No, request.Gateway);
        return OrderSettlement.Delivered;
    }

    private async Task PayBackAsync(Order order, string gateway, GatewayPayment payment, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Reports of one order queue on its row lock, so the check and the insert cannot race; the unique index on
        // the gateway and trade number would refuse a second record anyway.
        if (await db.PaymentRefunds.AnyAsync(r => r.Gateway == gateway && r.TradeNo == payment.TradeNo && r.Reason != PaymentRefundReason.AfterSales, cancellationToken))
            return;
        var reason = order.Status == OrderStatus.Expired ? PaymentRefundReason.LatePayment : PaymentRefundReason.DuplicatePayment;
        db.PaymentRefunds.Add(new PaymentRefund(OrderNumbers.NewRefundNo(now), gateway, order.No, payment.TradeNo, payment.Amount, reason, order.UserId, now));
        logger.LogWarning("Order {OrderNo}: gateway {Gateway} trade {TradeNo} cannot be taken ({Reason}); it will be paid back",
            order.No, gateway, payment.TradeNo, reason);
    }
}

public enum OrderSettlement
{
    /// <summary>The order was paid and delivered now.</summary>
    Delivered = 0,
    /// <summary>This payment already paid it: nothing more happens.</summary>
    AlreadyDelivered = 1,
    /// <summary>The order could not take the money (expired, or paid otherwise): it goes back to the payer.</summary>
    PayingBack = 2,
    /// <summary>The gateway reports the payment as not (yet) made.</summary>
    NotPaid = 3,
}
