using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Common;
using CardMall.Domain.Notifications;
using CardMall.Domain.Orders;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Orders;

/// <summary>
/// An order nobody paid in time expires: its reserved keys go back to stock and its items go, so the order keeps
/// no trace of keys that will be sold to somebody else. The payment watcher sends this after closing the payment
/// at the gateway; the row lock makes it wait for a settlement in progress, which wins.
/// </summary>
public sealed record ExpireOrder(string OrderNo) : ICommand<bool>;

public sealed class ExpireOrderValidator : AbstractValidator<ExpireOrder>
{
    public ExpireOrderValidator() => RuleFor(x => x.OrderNo).NotEmpty().MaximumLength(32);
}

internal sealed class ExpireOrderHandler(ICardMallDb db, TimeProvider clock) : IRequestHandler<ExpireOrder, bool>
{
    public async Task<bool> Handle(ExpireOrder request, CancellationToken cancellationToken)
    {
        var order = await db.Locks.LockAsync<Order, string>(o => o.No, request.OrderNo, cancellationToken)
            ?? throw new NotFoundException(AppText.Get("Orders.NotFound"));
        var now = clock.GetUtcNow();
        if (order.Status != OrderStatus.AwaitingPayment || now < order.PayBy) return false;

        // The locked order is tracked: loading it again with its items fills in the same instance.
        await db.Orders.Include(o => o.Items).FirstAsync(o => o.Id == order.Id, cancellationToken);
        var keys = await db.CardKeys.Where(k => k.OrderId == order.Id && k.State == CardKeyState.Reserved).ToListAsync(cancellationToken);
        foreach (var key in keys) key.Release(order.Id);
        order.Expire(now);
        db.Notifications.Add(new Notification(order.UserId, NotificationKind.OrderExpired, "/Orders/" + order.No, now, order.No));
        return true;
    }
}
