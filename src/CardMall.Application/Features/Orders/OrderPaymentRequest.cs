using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Orders;

namespace CardMall.Application.Features.Orders;

/// <summary>The gateway payment of an order: its total, deadline, what the cashier shows, and the order page the buyer returns to.</summary>
internal static class OrderPaymentRequest
{
    public static PaymentRequest For(Order order, ProductNames product, PayerDevice device, string? clientIp) =>
        new(order.No, order.Total, order.PayBy ?? throw new InvalidOperationException("A wallet order has no gateway payment."),
            AppText.Format("Orders.PaymentSubject", VisitorLanguage.IsEnglish ? product.NameEn : product.NameZh, order.Quantity),
            "/Orders/" + Uri.EscapeDataString(order.No), device, clientIp);
}
