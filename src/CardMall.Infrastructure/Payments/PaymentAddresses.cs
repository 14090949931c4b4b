namespace CardMall.Infrastructure.Payments;

/// <summary>
/// The shop's public addresses a gateway is given: where it notifies (<c>/payments/{gateway}/notify</c>) and where the
/// buyer's browser returns, both under CardMall:PublicBaseUrl — configured, never taken from a request's Host header.
/// </summary>
public sealed class PaymentAddresses(string publicBaseUrl)
{
    private readonly string _base = publicBaseUrl.TrimEnd('/');

    public string NotifyUrl(string gateway) => $"{_base}/payments/{gateway}/notify";

    public string ReturnUrl(string path) => _base + (path.StartsWith('/') ? path : "/" + path);
}
