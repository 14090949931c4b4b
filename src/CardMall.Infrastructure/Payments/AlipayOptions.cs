namespace CardMall.Infrastructure.Payments;

/// <summary>
/// Alipay open platform (电脑网站支付 / 手机网站支付), configuration section CardMall:Payments:Alipay:
///   Enabled          takes new payments (payments already started always settle)
///   AppId            the application's APPID
///   SellerId         optional: the merchant's PID (2088…), checked on every notification when set
///   PrivateKey       the application's RSA private key (PEM, or bare base64 PKCS#8 / PKCS#1) — a secret
///   AlipayPublicKey  Alipay's public key for this application (PEM or base64)
///   GatewayUrl       default https://openapi.alipay.com/gateway.do
/// </summary>
public sealed class AlipayOptions
{
    public const string Section = "CardMall:Payments:Alipay";
    public const string DefaultGatewayUrl = "https://openapi.alipay.com/gateway.do";

    public bool Enabled { get; set; }

    public string? AppId { get; set; }

    public string? SellerId { get; set; }

    public string? PrivateKey { get; set; }

    public string? AlipayPublicKey { get; set; }

    public string GatewayUrl { get; set; } = DefaultGatewayUrl;

    public bool IsConfigured =>
        !string.IsNullOrWhiteSpace(AppId) && !string.IsNullOrWhiteSpace(PrivateKey) && !string.IsNullOrWhiteSpace(AlipayPublicKey)
        && Uri.TryCreate(GatewayUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https";

    /// <summary>The keys in a usable form, or why not (never the key itself).</summary>
    public string? KeyProblem()
    {
        try
        {
            using var privateKey = AlipaySignature.PrivateKey(PrivateKey ?? "");
            using var publicKey = AlipaySignature.PublicKey(AlipayPublicKey ?? "");
            return null;
        }
        catch (Exception ex) when (ex is FormatException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            return "PrivateKey or AlipayPublicKey is not an RSA key in PEM or base64";
        }
    }

    /// <summary>Whatever logs or shows these options never sees the private key.</summary>
    public override string ToString() =>
        $"Alipay {{ Enabled = {Enabled}, AppId = {MerchantIds.Mask(AppId)}, SellerId = {MerchantIds.Mask(SellerId)}, PrivateKey = {(string.IsNullOrEmpty(PrivateKey) ? "(none)" : "***")}, GatewayUrl = {GatewayUrl} }}";
}
