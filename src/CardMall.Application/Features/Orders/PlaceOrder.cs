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
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Orders;

/// <summary>
/// A buyer buys N keys of a product, paying from the wallet. One transaction locks the wallet, prices by
/// tier, checks the limits, allocates keys with FOR UPDATE SKIP LOCKED (soonest expiry first), debits the
/// wallet through the ledger and creates the order: keys are never sold twice, money is never taken without
/// delivery. The same idempotency key returns the same order instead of buying again.
/// It is the hottest path of a promotion, so it reads only what it needs and writes everything in one
/// round trip at the end (the transaction behavior's SaveChanges): no second read of the keys it holds, no
/// count of the buyer's orders.
/// </summary>
/// <param name="NoticesVersion">The version of the notices the buyer was shown; a newer one must be read first.</param>
public sealed record PlaceOrder(string Sku, int Quantity, bool AcceptNotices, string? IdempotencyKey, string Channel, bool RevealKeys, int? NoticesVersion = null)
    : ICommand<OrderView>;

public sealed class PlaceOrderValidator : AbstractValidator<PlaceOrder>
{
    public PlaceOrderValidator()
    {
        RuleFor(x => x.Sku).NotEmpty().MaximumLength(64).WithMessage(_ => AppText.Get("Orders.SkuUnknown"));
        RuleFor(x => x.Quantity).InclusiveBetween(1, 1000).WithMessage(_ => AppText.Format("Orders.QuantityRange", 1, 1000));
        RuleFor(x => x.AcceptNotices).Equal(true).WithMessage(_ => AppText.Get("Orders.NoticesRequired"));
        RuleFor(x => x.IdempotencyKey).Length(1, 64).When(x => x.IdempotencyKey is not null).WithMessage(_ => AppText.Get("Orders.IdempotencyKeyInvalid"));
    }
}

internal sealed class PlaceOrderHandler(ICardMallDb db, ICurrentUser currentUser, OrderReading reading, TimeProvider clock)
    : IRequestHandler<PlaceOrder, OrderView>
{

    public async Task<OrderView> Handle(PlaceOrder request, CancellationToken ct)
    {
        var userId = currentUser.RequireUserId();
        var requestHash = RequestHash(request);

        // The wallet row is locked first and held to the end: all purchases of one buyer happen one after
        // the other, so two of them can neither both spend one balance nor both slip under the daily limit,
        // and a retry with the same idempotency key waits here and then finds the first one's order.
        var wallet = await db.LockAsync(userId, ct);

        if (request.IdempotencyKey is { } key)
        {
            var existing = await db.Orders.Include(o => o.Items).FirstOrDefaultAsync(o => o.UserId == userId && o.IdempotencyKey == key, ct);
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

        var now = clock.GetUtcNow();
        if (product.MaxPerBuyerPerDay is { } daily)
        {
            var dayStart = ShopTime.StartOfDay(now);
            var boughtToday = await db.Orders.Where(o => o.UserId == userId && o.ProductId == product.Id && o.CreatedAt >= dayStart)
                .SumAsync(o => (int?)o.Quantity, ct) ?? 0;
            if (boughtToday + request.Quantity > daily)
                throw Invalid(nameof(request.Quantity), AppText.Format("Orders.DailyLimit", daily, Math.Max(0, daily - boughtToday)));
        }

        var tier = await db.Users.Where(u => u.Id == userId).Select(u => u.Tier).FirstAsync(ct);
        var unitPrice = product.PriceFor(tier);
        var total = unitPrice * request.Quantity;

        if (wallet is null || wallet.Balance < total)
            throw new DomainRuleException(ErrorCodes.InsufficientBalance, AppText.Get("Orders.InsufficientBalance"));

        var keys = await db.TakeAvailableAsync(product.Id, request.Quantity, now, ct);
        if (keys.Count < request.Quantity)
            throw new DomainRuleException(ErrorCodes.OutOfStock, AppText.Get("Orders.OutOfStock"));

        var order = new Order(OrderNumbers.NewOrderNo(now), userId, product.Id, request.Quantity, unitPrice, tier,
            product.NoticesVersion, request.IdempotencyKey, requestHash, request.Channel, now, product.GuideArticleId);
        foreach (var cardKey in keys)
        {
            db.CardKeyEvents.Add(cardKey.Sell(order.Id, userId, now));
            order.Items.Add(new OrderItem(order.Id, cardKey.Id, now));
        }
        db.Orders.Add(order);
        db.LedgerEntries.Add(wallet.Post(LedgerKind.Purchase, -total, order.No, now));

        // A thank-you note on the 5th, 10th, 15th … order (情感触点).
        if (wallet.Purchases % 5 == 0)
            db.Notifications.Add(new Notification(userId, NotificationKind.OrderMilestone, "/Orders/" + order.No, now,
                wallet.Purchases.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        return reading.View(order, keys.ToDictionary(k => k.Id), new ProductNames(product.Sku, product.NameZh, product.NameEn),
            request.RevealKeys, request.Channel, created: true);
    }


    private static string RequestHash(PlaceOrder r) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{r.Sku.Trim()}|{r.Quantity}|{r.AcceptNotices}")));


    private static ValidationException Invalid(string field, string message) =>
        new([new FluentValidation.Results.ValidationFailure(field, message)]);
}
