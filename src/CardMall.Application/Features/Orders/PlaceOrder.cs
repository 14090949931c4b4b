using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Orders;
using FluentValidation;
using MediatR;

namespace CardMall.Application.Features.Orders;

/// <summary>
/// A signed-in buyer buys N keys of a product, paying from the wallet (delivered at once) or through a payment
/// gateway (keys reserved until the payment settles or the window closes). The same idempotency key returns the
/// same order instead of buying again. The work is the <see cref="Checkout"/>'s, which guest checkout shares.
/// </summary>
/// <param name="NoticesVersion">The version of the notices the buyer was shown; a newer one must be read first.</param>
/// <param name="Payment">"wallet" or the code of an enabled gateway.</param>
public sealed record PlaceOrder(
    string Sku, int Quantity, bool AcceptNotices, string? IdempotencyKey, string Channel, bool RevealKeys, int? NoticesVersion = null,
    string Payment = Order.WalletPayment, PayerDevice Device = PayerDevice.Desktop)
    : ICommand<OrderView>;

public sealed class PlaceOrderValidator : AbstractValidator<PlaceOrder>
{
    public PlaceOrderValidator()
    {
        RuleFor(x => x.Sku).NotEmpty().MaximumLength(64).WithMessage(_ => AppText.Get("Orders.SkuUnknown"));
        RuleFor(x => x.Quantity).InclusiveBetween(1, 1000).WithMessage(_ => AppText.Format("Orders.QuantityRange", 1, 1000));
        RuleFor(x => x.AcceptNotices).Equal(true).WithMessage(_ => AppText.Get("Orders.NoticesRequired"));
        RuleFor(x => x.IdempotencyKey).Length(1, 64).When(x => x.IdempotencyKey is not null).WithMessage(_ => AppText.Get("Orders.IdempotencyKeyInvalid"));
        RuleFor(x => x.Payment).NotEmpty().MaximumLength(32).WithMessage(_ => AppText.Get("Orders.PaymentUnavailable"));
    }
}

internal sealed class PlaceOrderHandler(Checkout checkout, ICurrentUser currentUser) : IRequestHandler<PlaceOrder, OrderView>
{
    public Task<OrderView> Handle(PlaceOrder request, CancellationToken ct) => checkout.BuyAsync(currentUser.RequireUserId(), request, ct);
}
