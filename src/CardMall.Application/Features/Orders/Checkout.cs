using System.Security.Cryptography;
using System.Text;
using CardMall.Application.Abstractions;
using CardMall.Application.Features.Wallet;
using CardMall.Application.Localization;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Common;
using CardMall.Domain.Notifications;
using CardMall.Domain.Orders;
using CardMall.Domain.Wallets;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CardMall.Application.Features.Orders;

/// <summary>
/// One checkout for one buyer, whoever the buyer is (a member placing an order, or the guest account a guest
/// checkout opens). One transaction locks the buyer's wallet row, prices by tier, checks the limits, takes keys
/// with FOR UPDATE SKIP LOCKED (soonest expiry first) and creates the order:
/// - paid from the wallet, the keys are sold and the wallet debited through the ledger in the same transaction;
/// - paid through a gateway, the keys are reserved until the payment window closes (never sold to anyone else
///   meanwhile, never counted as stock) and the gateway's payment is opened; the keys are sold when the payment
///   settles (<see cref="SettleOrderPayment"/>), or go back to stock when the order expires.
/// It is the hottest path of a promotion, so it reads only what it needs and writes everything in one round
/// trip at the end (the transaction behavior's SaveChanges): no second read of the keys it holds, no count of
/// the buyer's orders.
/// </summary>
internal sealed class Checkout(
    ICardMallDb db, ICurrentUser currentUser, OrderReading reading, IEnumerable<IPaymentGateway> gateways, IOptions<OrderPaymentOptions> options,
    TimeProvider clock)
{
    public async Task<OrderView> BuyAsync(Guid buyerId, PlaceOrder request, CancellationToken ct)
    {
        var gateway = GatewayFor(request.Payment);
        var requestHash = RequestHash(request);
        var now = clock.GetUtcNow();

        // The wallet row is locked first and held to the end: all purchases of one buyer happen one after the
        // other, so two of them can neither both spend one balance nor both slip under a limit, and a retry with
        // the same idempotency key waits here and then finds the first one's order. A gateway buyer may have no
        // wallet yet: it is created, as the buyer's lock and as the place a payment that cannot go back would go.
        var wallet = gateway is null ? await db.LockAsync(buyerId, ct) : await db.LockOrCreateAsync(buyerId, now, ct);

        if (request.IdempotencyKey is { } key)
        {
            var existing = await db.Orders.Include(o => o.Items).FirstOrDefaultAsync(o => o.UserId == buyerId && o.IdempotencyKey == key, ct);
            if (existing is not null)
            {
                if (existing.RequestHash != requestHash)
                    throw new DomainRuleException(ErrorCodes.IdempotencyKeyReused, AppText.Get("Orders.IdempotencyKeyReused"));
                return await reading.ViewAsync(existing, request.RevealKeys, request.Channel, created: false, ct);
            }
        }

        var sku = request.Sku.Trim();
        var product = await db.Products.AsNoTracking().FirstOrDefaultAsync(p => p.Sku == sku && p.IsActive, ct)
            ?? throw Invalid(nameof(request.Sku), AppText.Get("Orders.SkuUnknown"));
        if (request.Quantity < product.MinPerOrder || request.Quantity > product.MaxPerOrder)
            throw Invalid(nameof(request.Quantity), AppText.Format("Orders.QuantityRange", product.MinPerOrder, product.MaxPerOrder));

        // The order records which notices were accepted: they must be the ones the buyer saw.
        if (request.NoticesVersion is { } seen && seen != product.NoticesVersion)
            throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Format("Orders.NoticesChanged", product.NoticesVersion));

        if (product.MaxPerBuyerPerDay is { } daily)
        {
            // Orders awaiting payment count (their keys are held); expired ones bought nothing.
            var dayStart = ShopTime.StartOfDay(now);
            var boughtToday = await db.Orders.Where(o => o.UserId == buyerId && o.ProductId == product.Id && o.CreatedAt >= dayStart && o.Status != OrderStatus.Expired)
                .SumAsync(o => (int?)o.Quantity, ct) ?? 0;
            if (boughtToday + request.Quantity > daily)
                throw Invalid(nameof(request.Quantity), AppText.Format("Orders.DailyLimit", daily, Math.Max(0, daily - boughtToday)));
        }

        var tier = await db.Users.Where(u => u.Id == buyerId).Select(u => u.Tier).FirstAsync(ct);
        var unitPrice = product.PriceFor(tier);
        var total = unitPrice * request.Quantity;

        OrderPayment? payment = null;
        if (gateway is null)
        {
            if (wallet is null || wallet.Balance < total)
                throw new DomainRuleException(ErrorCodes.InsufficientBalance, AppText.Get("Orders.InsufficientBalance"));
        }
        else
        {
            var awaiting = await db.Orders.CountAsync(o => o.UserId == buyerId && o.Status == OrderStatus.AwaitingPayment, ct);
            if (awaiting >= options.Value.MaxAwaitingPerBuyer)
                throw new DomainRuleException(ErrorCodes.RateLimited, AppText.Format("Orders.TooManyAwaiting", options.Value.MaxAwaitingPerBuyer));
            payment = new OrderPayment(gateway.Name, now + options.Value.PayWithin);
        }

        // A reserved key must still be sellable when the payment window closes, so it may not expire before then.
        var keys = await db.TakeAvailableAsync(product.Id, request.Quantity, payment?.PayBy ?? now, ct);
        if (keys.Count < request.Quantity)
            throw new DomainRuleException(ErrorCodes.OutOfStock, AppText.Get("Orders.OutOfStock"));

        var order = new Order(OrderNumbers.NewOrderNo(now), buyerId, product.Id, request.Quantity, unitPrice, tier,
            product.NoticesVersion, request.IdempotencyKey, requestHash, request.Channel, now, product.GuideArticleId, payment);
        foreach (var cardKey in keys)
        {
            if (payment is null) db.CardKeyEvents.Add(cardKey.Sell(order.Id, buyerId, now));
            else cardKey.Reserve(order.Id);
            order.Items.Add(new OrderItem(order.Id, cardKey.Id, now));
        }
        db.Orders.Add(order);
        var names = new ProductNames(product.Sku, product.NameZh, product.NameEn);

        if (gateway is null)
        {
            db.LedgerEntries.Add(wallet!.Post(LedgerKind.Purchase, -total, order.No, now));
            // A thank-you note on the 5th, 10th, 15th … order (情感触点).
            if (wallet.Purchases % 5 == 0)
                db.Notifications.Add(new Notification(buyerId, NotificationKind.OrderMilestone, "/Orders/" + order.No, now,
                    wallet.Purchases.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        else
        {
            // The buyer learns the pay page only after this transaction commits, so no notification can arrive
            // before the order exists. Should the commit fail, the gateway keeps an unpaid payment nobody can
            // reach, which it closes by itself when it times out.
            var started = await gateway.StartPaymentAsync(OrderPaymentRequest.For(order, names, request.Device, currentUser.IpAddress), ct);
            order.AwaitPaymentAt(started.PayUrl);
        }
        return reading.View(order, keys.ToDictionary(k => k.Id), names, request.RevealKeys, request.Channel, created: true);
    }

    /// <summary>Null for the wallet; otherwise a gateway that takes new payments, or a clear error.</summary>
    private IPaymentGateway? GatewayFor(string payment)
    {
        if (string.Equals(payment, Order.WalletPayment, StringComparison.OrdinalIgnoreCase)) return null;
        return gateways.Find(payment) is { AcceptsNewPayments: true } gateway
            ? gateway
            : throw Invalid(nameof(PlaceOrder.Payment), AppText.Get("Orders.PaymentUnavailable"));
    }

    /// <summary>What makes a retry "the same request"; the payment joins it only when it is not the wallet, so older keys still match.</summary>
    private static string RequestHash(PlaceOrder r)
    {
        var paidBy = string.Equals(r.Payment, Order.WalletPayment, StringComparison.OrdinalIgnoreCase) ? "" : "|" + r.Payment.ToLowerInvariant();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{r.Sku.Trim()}|{r.Quantity}|{r.AcceptNotices}{paidBy}")));
    }

    private static ValidationException Invalid(string field, string message) =>
        new([new FluentValidation.Results.ValidationFailure(field, message)]);
}
