using CardMall.Application.Abstractions;
using CardMall.Domain.Orders;

namespace CardMall.Web.Pages.Products;

/// <summary>
/// The ways a buy form offers to pay: the wallet (members only) and each gateway that takes new payments, named in
/// the visitor's language by code ("Payment.Gateway.{code}"). The device picks the gateway's desktop or phone cashier.
/// </summary>
public sealed class PaymentChoices(IEnumerable<IPaymentGateway> gateways)
{
    public IReadOnlyList<string> Gateways { get; } = gateways.Where(g => g.AcceptsNewPayments).Select(g => g.Name).ToList();

    public bool Offers(string? payment) =>
        string.Equals(payment, Order.WalletPayment, StringComparison.OrdinalIgnoreCase) || Gateways.Contains(payment ?? "", StringComparer.OrdinalIgnoreCase);

    public static PayerDevice DeviceOf(HttpRequest request) =>
        request.Headers.UserAgent.ToString().Contains("Mobi", StringComparison.Ordinal) ? PayerDevice.Phone : PayerDevice.Desktop;
}
