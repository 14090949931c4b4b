namespace CardMall.Infrastructure.Payments;

/// <summary>
/// An epay (彩虹易支付) aggregator, configuration section CardMall:Payments:Epay:
///   Enabled          takes new payments (payments already started always settle)
///   BaseUrl          the aggregator's address, e.g. https://pay.example.com/ (submit.php and api.php live there)
///   Pid              the merchant id
///   Key              the merchant key (MD5 signatures, API calls) — a secret
///   PayType          the cashier to open: alipay (default), wxpay, qqpay …
///   RefundSupported  whether this aggregator has api.php?act=refund (default false: the shop credits the wallet)
/// </summary>
public sealed class EpayOptions
{
    public const string Section = "CardMall:Payments:Epay";

    public bool Enabled { get; set; }

    public string? BaseUrl { get; set; }

    public string? Pid { get; set; }

    public string? Key { get; set; }

    public string PayType { get; set; } = "alipay";

    public bool RefundSupported { get; set; }

    public bool IsConfigured =>
        !string.IsNullOrWhiteSpace(Pid) && !string.IsNullOrWhiteSpace(Key) && !string.IsNullOrWhiteSpace(PayType)
        && Uri.TryCreate(BaseUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https";

    /// <summary>BaseUrl with one trailing slash, so "submit.php" and "api.php" resolve under it.</summary>
    public string Endpoint(string file) => (BaseUrl ?? "").TrimEnd('/') + "/" + file;

    /// <summary>Whatever logs or shows these options never sees the key.</summary>
    public override string ToString() =>
        $"Epay {{ Enabled = {Enabled}, BaseUrl = {BaseUrl}, Pid = {MerchantIds.Mask(Pid)}, Key = {(string.IsNullOrEmpty(Key) ? "(none)" : "***")}, PayType = {PayType}, RefundSupported = {RefundSupported} }}";
}
