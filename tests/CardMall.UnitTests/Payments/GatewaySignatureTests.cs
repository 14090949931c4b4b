using System.Security.Cryptography;
using System.Text;
using CardMall.Application.Abstractions;
using CardMall.Infrastructure.Payments;
using Microsoft.Extensions.Options;

namespace CardMall.UnitTests.Payments;

/// <summary>
/// The providers' signing rules, byte for byte: the signing text (sorted, empty values and signature fields left
/// out, values unescaped) against the sample Alipay's documentation prints, Alipay RSA2 against a signature made
/// with OpenSSL (<c>openssl dgst -sha256 -sign</c>) for a fixed key, and the epay MD5 against a digest computed
/// outside .NET for a fixed key.
/// </summary>
public sealed class GatewaySignatureTests
{
    // A throwaway 1024-bit key made for this test with `openssl genrsa -traditional` (PKCS#1 PEM). Not a real merchant's.
    private const string FixedKey = """
        -----BEGIN RSA PRIVATE KEY-----
        MIICXgIBAAKBgQDqyaCyNxHLBt917PPEjuxVI7p4qVOJKUBJ5uglMZNRqDO6hQfW
        wFYo/7I4KQ31pIkC6dMhVcS9rPbnB7IvZU0w/VaB+ccF5ksInHb9KxAW9TN5iKKl
        rufkoMHkzw1sFBWruQxlgywSjE88NwgQgZNvVZpz2sCzaIcTD+uj+anY+wIDAQAB
        AoGBALTspt5uPVHce/pdnANNt6RsIde1c9/wX9ATFbUDnOiB20rSFJZSJJL3ZxiL
        2mv+XG5YTRAVDcS0MpcZgR+wymeJ665kTAFacOkf3KC5WhXq2Be3C0ja/z9TAMEm
        mQ+oyaXZuh9W3Q51fDHXAC06iIE0dcdHyWWCWxlKGeE4obDBAkEA/Lw6KgtvAm2B
        UC3044EaTlXujNKV5ar1Qtsxe7Z7nUARgmJOoTN1l56JJ0AV+gt9WEdVLwCnk53c
        90ytYSra0QJBAO3SDJq6akeajsQUZEtGcQs+aSLziSjKR8VPf5fxneELuiG9QV3w
        b1yNiybOEg5+BXM08yZWiAF5uSL57T7j0gsCQQDWeuKdhcB6ffXs1mNposlxS0m7
        pobhNlkXmK8Avxdelt2FGeqCsQoNVtQsRB2iapfAECFBVzvfcWvxTtggit7RAkB6
        nuYO1XU9DCz2XslDosNgl8Jf2g/rbzjIPHA+aL8NrR1AjjNo+zKAFx8bV/8pZ8Lp
        nvCL4OvpTtitdw3jclX3AkEAtemQb0j49TZTcr1Tb6Zm/NBVjPJMUjRmP+4Wv9kR
        5nwtT6PfX/XM5qQoLR1U0tyCNUjSSXVKMJ6xxqgVjhJgrQ==
        -----END RSA PRIVATE KEY-----
        """;

    private const string PagePayText =
        "app_id=2021000000001234&biz_content={\"out_trade_no\":\"CM20260101000001\",\"total_amount\":\"88.80\",\"subject\":\"Steam 钱包 ¥100 × 1\",\"product_code\":\"FAST_INSTANT_TRADE_PAY\",\"time_expire\":\"2026-01-01 12:15:00\"}"
        + "&charset=utf-8&format=JSON&method=alipay.trade.page.pay&notify_url=https://shop.example.com/payments/alipay/notify"
        + "&return_url=https://shop.example.com/Orders/CM20260101000001&sign_type=RSA2&timestamp=2026-01-01 12:00:00&version=1.0";

    // openssl dgst -sha256 -sign key.pem over PagePayText (UTF-8), base64.
    private const string OpenSslSignature =
        "iaLNxYhNhN4noaaMzYNUq8jmLeVV/G9LmndBMf1Qk67vMtoLtouHvCZ99ycPHHNgxVyWG9JjgLqsEV8Iq7ADWXYTeYuA48wu+y0oIUeGE/21QJSGOcUJW/rA7w7d/jct6jkyK0qoQml8ePnF2t0XCjmxv+rFxjkIv17GL7RQkGw=";

    [Fact]
    public void The_signing_text_is_the_one_alipays_documentation_prints_for_its_sample_request()
    {
        // The parameters of the documented sample request URL, in the URL's order, sign and sign_type included.
        var parameters = new Dictionary<string, string>
        {
            ["body"] = "testjsdzbody", ["subject"] = "testjsdz", ["sign_type"] = "MD5", ["notify_url"] = "http://www.test.com/create_direct_pay_by_user-JAVA-UTF-8/notify_url.jsp",
            ["out_trade_no"] = "9890879868657", ["return_url"] = "http://www.baidu.com", ["sign"] = "***", ["_input_charset"] = "utf-8", ["total_fee"] = "0.01",
            ["service"] = "create_direct_pay_by_user", ["partner"] = "2088000000000000", ["seller_id"] = "2088000000000000", ["payment_type"] = "1",
        };

        Assert.Equal(
            "_input_charset=utf-8&body=testjsdzbody&notify_url=http://www.test.com/create_direct_pay_by_user-JAVA-UTF-8/notify_url.jsp&out_trade_no=9890879868657"
            + "&partner=2088000000000000&payment_type=1&return_url=http://www.baidu.com&seller_id=2088000000000000&service=create_direct_pay_by_user&subject=testjsdz&total_fee=0.01",
            SignedParameters.Text(parameters, "sign", "sign_type"));
    }

    [Fact]
    public void Empty_values_are_left_out_and_names_sort_in_ascii_order_not_culture_order()
    {
        var text = SignedParameters.Text(new Dictionary<string, string> { ["b"] = "2", ["B"] = "1", ["a_b"] = "3", ["aB"] = "4", ["empty"] = "", ["sign"] = "x" }, "sign");
        Assert.Equal("B=1&aB=4&a_b=3&b=2", text);
    }

    [Fact]
    public void Alipay_rsa2_matches_openssl_for_a_fixed_key_in_every_key_format()
    {
        using var pem = AlipaySignature.PrivateKey(FixedKey);
        var pkcs1 = Convert.ToBase64String(pem.ExportRSAPrivateKey());
        var pkcs8 = Convert.ToBase64String(pem.ExportPkcs8PrivateKey());

        foreach (var format in new[] { FixedKey, pkcs1, pkcs8 })
        {
            using var key = AlipaySignature.PrivateKey(format);
            Assert.Equal(OpenSslSignature, AlipaySignature.Sign(PagePayText, key));
        }

        using var publicKey = AlipaySignature.PublicKey(Convert.ToBase64String(pem.ExportSubjectPublicKeyInfo()));
        Assert.True(AlipaySignature.Verify(PagePayText, OpenSslSignature, publicKey));
        Assert.False(AlipaySignature.Verify(PagePayText.Replace("88.80", "0.01", StringComparison.Ordinal), OpenSslSignature, publicKey));
        Assert.False(AlipaySignature.Verify(PagePayText, "not base64!", publicKey));
        Assert.False(AlipaySignature.Verify(PagePayText, null, publicKey));
    }

    [Fact]
    public void Epay_md5_is_the_lowercase_digest_of_the_sorted_text_followed_by_the_key()
    {
        var parameters = new Dictionary<string, string>
        {
            ["pid"] = "1001", ["type"] = "alipay", ["out_trade_no"] = "20160806151343349", ["notify_url"] = "http://www.pay.com/notify_url.php",
            ["return_url"] = "http://www.pay.com/return_url.php", ["name"] = "VIP会员", ["money"] = "1.00", ["sitename"] = "", ["sign_type"] = "MD5",
        };
        const string key = "89unJUB8HZ54Hj7x4nUj56HN4nUzUJ8i";

        // python3: hashlib.md5((text + key).encode()).hexdigest()
        Assert.Equal("427724b6656aa612cfdbe7a2262036a3", EpaySignature.Sign(parameters, key));
        parameters["sign"] = "427724b6656aa612cfdbe7a2262036a3";
        Assert.True(EpaySignature.IsValid(parameters, key));
        Assert.True(EpaySignature.IsValid(new Dictionary<string, string>(parameters) { ["sign"] = "427724B6656AA612CFDBE7A2262036A3" }, key));
        Assert.False(EpaySignature.IsValid(new Dictionary<string, string>(parameters) { ["money"] = "0.01" }, key));
        Assert.False(EpaySignature.IsValid(parameters, key + "x"));
    }

    [Fact]
    public async Task The_alipay_pay_address_carries_every_documented_parameter_signed_over_the_decoded_values()
    {
        using var merchant = AlipaySignature.PrivateKey(FixedKey);
        var options = Options.Create(new AlipayOptions
        {
            Enabled = true, AppId = "2021000000001234", PrivateKey = FixedKey, AlipayPublicKey = Convert.ToBase64String(merchant.ExportSubjectPublicKeyInfo()),
        });
        var clock = new FixedClock(new DateTimeOffset(2026, 1, 1, 4, 0, 0, TimeSpan.Zero));
        var gateway = new AlipayGateway(options, new PaymentAddresses("https://shop.example.com/"), new NoHttp(), clock);

        var started = await gateway.StartPaymentAsync(new PaymentRequest("CM20260101000001", 88.80m, new DateTimeOffset(2026, 1, 1, 4, 15, 0, TimeSpan.Zero),
            "Steam 钱包 ¥100 × 1", "/Orders/CM20260101000001"), default);

        Assert.StartsWith(AlipayOptions.DefaultGatewayUrl + "?", started.PayUrl, StringComparison.Ordinal);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(started.PayUrl).Query).ToDictionary(q => q.Key, q => q.Value.ToString());
        Assert.Equal(("alipay.trade.page.pay", "JSON", "utf-8", "RSA2", "1.0", "2026-01-01 12:00:00"),
            (query["method"], query["format"], query["charset"], query["sign_type"], query["version"], query["timestamp"]));
        Assert.Equal("https://shop.example.com/payments/alipay/notify", query["notify_url"]);
        Assert.Equal("https://shop.example.com/Orders/CM20260101000001", query["return_url"]);
        using var biz = System.Text.Json.JsonDocument.Parse(query["biz_content"]);
        Assert.Equal("88.80", biz.RootElement.GetProperty("total_amount").GetString());
        Assert.Equal("2026-01-01 12:15:00", biz.RootElement.GetProperty("time_expire").GetString());
        Assert.Equal("FAST_INSTANT_TRADE_PAY", biz.RootElement.GetProperty("product_code").GetString());
        Assert.True(AlipaySignature.Verify(SignedParameters.Text(query, "sign"), query["sign"], merchant));
        Assert.DoesNotContain(' ', started.PayUrl);
    }

    [Fact]
    public void Options_never_print_their_secrets_and_merchant_ids_are_masked()
    {
        var alipay = new AlipayOptions { AppId = "2021000000001234", PrivateKey = "MIIsecret", AlipayPublicKey = "MIIpublic" };
        var epay = new EpayOptions { Pid = "10086", Key = "s3cr3t-k3y", BaseUrl = "https://pay.example.com" };
        Assert.DoesNotContain("MIIsecret", alipay.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", epay.ToString(), StringComparison.Ordinal);
        Assert.Equal("2021****1234", MerchantIds.Mask("2021000000001234"));
        Assert.Equal("***86", MerchantIds.Mask("10086"));
        Assert.Equal("—", MerchantIds.Mask(null));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class NoHttp : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => throw new InvalidOperationException("Starting a payment calls nobody.");
    }
}
