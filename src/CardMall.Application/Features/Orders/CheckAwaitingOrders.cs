using CardMall.Application.Abstractions;
using CardMall.Application.Features.Payments;
using CardMall.Domain.Orders;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CardMall.Application.Features.Orders;

/// <summary>
/// One pass of the order payment watcher, the orders' twin of the top-up watcher: every order awaiting its gateway
/// payment for longer than <see cref="CheckAfter"/> is looked up at its gateway (<see cref="PaymentChase"/>): paid →
/// delivered; past its window → closed at the gateway, then delivered if the payment beat the close, else expired
/// with its keys back in stock. Each order settles or expires in its own transaction, with no transaction open while
/// a gateway answers; an advisory lock lets one node's pass run at a time, and the order's row lock keeps even
/// overlapping passes from delivering twice.
/// </summary>
public sealed record CheckAwaitingOrders(TimeSpan CheckAfter, int Limit = 200) : IRequest<AwaitingOrdersChecked>;

public sealed class CheckAwaitingOrdersValidator : AbstractValidator<CheckAwaitingOrders>
{
    public CheckAwaitingOrdersValidator()
    {
        RuleFor(x => x.CheckAfter).GreaterThanOrEqualTo(TimeSpan.Zero);
        RuleFor(x => x.Limit).InclusiveBetween(1, 10_000);
    }
}

internal sealed class CheckAwaitingOrdersHandler(
    ICardMallDb db, IMediator mediator, IEnumerable<IPaymentGateway> gateways, TimeProvider clock, ILogger<CheckAwaitingOrdersHandler> logger)
    : IRequestHandler<CheckAwaitingOrders, AwaitingOrdersChecked>
{
    /// <summary>Advisory lock key of the watcher ("orderpay" in ASCII).</summary>
    private const long LockKey = 0x6f7264657270;

    public async Task<AwaitingOrdersChecked> Handle(CheckAwaitingOrders request, CancellationToken cancellationToken)
    {
        await using var alone = await db.Locks.TryAloneAcrossTransactionsAsync(LockKey, cancellationToken);
        if (alone is null) return new AwaitingOrdersChecked(Ran: false, 0, 0, 0);

        var now = clock.GetUtcNow();
        var askBefore = now - request.CheckAfter;
        // The partial index ix_orders_awaiting_payment: the cost is the orders waiting, not the orders ever placed.
        var awaiting = await db.Orders.AsNoTracking()
            .Where(o => o.Status == OrderStatus.AwaitingPayment && (o.CreatedAt <= askBefore || o.PayBy <= now))
            .OrderBy(o => o.CreatedAt)
            .Take(request.Limit)
            .Select(o => new { o.No, o.PaymentMethod, o.PayBy })
            .ToListAsync(cancellationToken);

        int delivered = 0, expired = 0;
        foreach (var order in awaiting)
        {
            var gateway = gateways.Find(order.PaymentMethod);
            if (gateway is null)
            {
                logger.LogWarning("Order {OrderNo} waits for gateway {Gateway}, which is not configured", order.No, order.PaymentMethod);
                continue;
            }
            try
            {
                var (outcome, payment) = await PaymentChase.ChaseAsync(gateway, order.No, order.PayBy!.Value, now, cancellationToken);
                if (outcome == ChaseOutcome.Settle)
                {
                    if (await mediator.Send(new SettleOrderPayment(gateway.Name, payment!), cancellationToken) == OrderSettlement.Delivered)
                        delivered++;
                }
                else if (outcome == ChaseOutcome.Expire && await mediator.Send(new ExpireOrder(order.No), cancellationToken))
                {
                    expired++;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The next pass tries again; one broken order must not hold up the others.
                logger.LogWarning(ex, "Checking order {OrderNo} with gateway {Gateway} failed", order.No, gateway.Name);
            }
        }
        if (delivered > 0 || expired > 0)
            logger.LogInformation("Order payment watcher: {Checked} checked, {Delivered} delivered, {Expired} expired", awaiting.Count, delivered, expired);
        return new AwaitingOrdersChecked(Ran: true, awaiting.Count, delivered, expired);
    }
}

/// <summary>Whether the pass ran (another node may hold the lock), and what it did.</summary>
public sealed record AwaitingOrdersChecked(bool Ran, int Checked, int Delivered, int Expired);
