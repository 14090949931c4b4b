using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CardMall.Application.Abstractions;
using Microsoft.Extensions.Options;

namespace CardMall.Infrastructure.Payments;

/// <summary>
/// Alipay open platform, merchant side, as its documentation describes it: the buyer pays on
/// <c>alipay.trade.page.pay</c> (desktop) or <c>alipay.trade.wap.pay</c> (phone), reached by a GET of the signed
/// request; Alipay posts a signed form to <c>/payments/alipay/notify</c>; lost notifications are found with
/// <c>alipay.trade.query</c>, unpaid trades closed with <c>alipay.trade.close</c>, money given back with
/// <c>alipay.trade.refund</c> (its <c>out_request_no</c> is our refund number, so asking twice refunds once).
/// Every request is signed RSA2 with the application's private key; every notification and answer is believed
/// only once its signature checks with Alipay's public key.
/// </summary>
public sealed class AlipayGateway(IOptions<AlipayOptions> options, PaymentAddresses addresses, IHttpClientFactory http, TimeProvider clock)
    : IPaymentGateway, IPaymentGatewaySettings
{
    public const string GatewayName = "alipay";
    public const string HttpClientName = "alipay";
    public const string TradeNotExist = "ACQ.TRADE_NOT_EXIST";

    /// <summary>Alipay's times (timestamp, time_expire, gmt_payment) are China time, which has no daylight saving.</summary>
    private static readonly TimeSpan ChinaTime = TimeSpan.FromHours(8);
    private const string TimeFormat = "yyyy-MM-dd HH:mm:ss";

    private AlipayOptions Options => options.Value;

    private RSA? _privateKey;
    private RSA? _publicKey;
    private RSA PrivateKey => _privateKey ??= AlipaySignature.PrivateKey(Options.PrivateKey ?? "");
    private RSA PublicKey => _publicKey ??= AlipaySignature.PublicKey(Options.AlipayPublicKey ?? "");

    public string Name => GatewayName;

    public bool AcceptsNewPayments => Options.Enabled && Options.IsConfigured;

    public NotificationReply Reply => NotificationReply.SuccessText;

    public GatewaySettingsView Settings => new(Options.Enabled, MerchantIds.Mask(Options.AppId), addresses.NotifyUrl(GatewayName));

    public Task<PaymentStarted> StartPaymentAsync(PaymentRequest request, CancellationToken cancellationToken)
    {
        var phone = request.Device == PayerDevice.Phone;
        var biz = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["out_trade_no"] = request.Reference,
            ["total_amount"] = Amount(request.Amount),
            ["subject"] = request.Subject,
            ["product_code"] = phone ? "QUICK_WAP_WAY" : "FAST_INSTANT_TRADE_PAY",
            ["time_expire"] = ChinaTimeText(request.ExpiresAt),
        });
        var parameters = Signed(phone ? "alipay.trade.wap.pay" : "alipay.trade.page.pay", biz, addresses.ReturnUrl(request.ReturnPath));
        // Alipay numbers the trade only once the buyer opens the cashier; the notification brings its trade_no.
        return Task.FromResult(new PaymentStarted(request.Reference, Options.GatewayUrl + "?" + SignedParameters.Encode(parameters)));
    }

    public NotificationCheck CheckNotification(PaymentNotice notice)
    {
        var form = notice.Body.Length > 0 ? SignedParameters.FromForm(notice.Body) : new Dictionary<string, string>(notice.Query, StringComparer.Ordinal);
        form.TryGetValue("sign", out var signature);
        bool authentic;
        try
        {
            authentic = Options.IsConfigured && AlipaySignature.Verify(SignedParameters.Text(form, "sign", "sign_type"), signature, PublicKey);
        }
        catch (CryptographicException)
        {
            authentic = false;
        }
        if (!authentic) return new NotificationCheck(NotificationVerdict.BadSignature, null);

        // Signed by Alipay, but for another application or merchant: not ours to settle.
        if (Value(form, "app_id") != Options.AppId
            || (!string.IsNullOrEmpty(Options.SellerId) && Value(form, "seller_id") != Options.SellerId))
            return new NotificationCheck(NotificationVerdict.Malformed, null);
        var payment = Payment(form, "gmt_payment");
        return payment is null
            ? new NotificationCheck(NotificationVerdict.Malformed, null)
            : new NotificationCheck(NotificationVerdict.Authentic, payment);
    }

    public async Task<GatewayPayment?> QueryAsync(string reference, CancellationToken cancellationToken)
    {
        var answer = await CallAsync("alipay.trade.query", new { out_trade_no = reference }, cancellationToken);
        if (answer.SubCode == TradeNotExist) return null;
        if (!answer.Succeeded) throw answer.Failure("alipay.trade.query");
        return Payment(answer.Fields, "send_pay_date")
            ?? throw new InvalidOperationException("alipay.trade.query answered without a readable trade.");
    }

    public async Task<GatewayPayment?> CloseAsync(string reference, CancellationToken cancellationToken)
    {
        // A trade the buyer never opened does not exist yet (TRADE_NOT_EXIST); a paid one cannot be closed
        // (TRADE_STATUS_ERROR). Either way the query that follows says what it is now.
        var answer = await CallAsync("alipay.trade.close", new { out_trade_no = reference }, cancellationToken);
        if (!answer.Succeeded && answer.SubCode is not (TradeNotExist or "ACQ.TRADE_STATUS_ERROR"))
            throw answer.Failure("alipay.trade.close");
        return await QueryAsync(reference, cancellationToken);
    }

    public async Task<GatewayRefund> RefundAsync(RefundRequest request, CancellationToken cancellationToken)
    {
        var answer = await CallAsync("alipay.trade.refund", new
        {
            out_trade_no = request.Reference,
            trade_no = request.TradeNo,
            refund_amount = Amount(request.Amount),
            out_request_no = request.RefundNo,
            refund_reason = request.Reason,
        }, cancellationToken);
        // The same out_request_no again answers 10000 with fund_change "N": it was refunded, once.
        return answer.Succeeded
            ? new GatewayRefund(RefundOutcome.Refunded, answer.Fields.GetValueOrDefault("fund_change") == "N" ? "already_refunded" : null)
            : new GatewayRefund(RefundOutcome.Failed, answer.SubCode ?? answer.Code);
    }

    public async Task<ConnectionCheck> TestConnectionAsync(CancellationToken cancellationToken)
    {
        if (!Options.IsConfigured) return new ConnectionCheck(false, "alipay: AppId, PrivateKey and AlipayPublicKey are required");
        try
        {
            // A trade nobody made: Alipay answers "does not exist", signed, only to a caller whose request signature checked.
            var answer = await CallAsync("alipay.trade.query", new { out_trade_no = "TEST" + clock.GetUtcNow().ToUnixTimeMilliseconds() }, cancellationToken);
            return answer.SubCode == TradeNotExist
                ? new ConnectionCheck(true, "alipay: signed request accepted, signed answer verified")
                : new ConnectionCheck(false, "alipay: " + (answer.SubMessage ?? answer.Message ?? answer.Code));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or AlipayAnswerException or CryptographicException or FormatException)
        {
            return new ConnectionCheck(false, "alipay: " + ex.Message);
        }
    }

    /// <summary>The common parameters, the method and its biz_content, signed.</summary>
    private List<KeyValuePair<string, string>> Signed(string method, string bizContent, string? returnUrl = null)
    {
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("app_id", Options.AppId ?? ""),
            new("method", method),
            new("format", "JSON"),
            new("charset", "utf-8"),
            new("sign_type", "RSA2"),
            new("timestamp", ChinaTimeText(clock.GetUtcNow())),
            new("version", "1.0"),
            new("notify_url", addresses.NotifyUrl(GatewayName)),
            new("biz_content", bizContent),
        };
        if (returnUrl is not null) parameters.Add(new("return_url", returnUrl));
        parameters.Add(new("sign", AlipaySignature.Sign(SignedParameters.Text(parameters, "sign"), PrivateKey)));
        return parameters;
    }

    private async Task<AlipayAnswer> CallAsync(string method, object biz, CancellationToken cancellationToken)
    {
        var parameters = Signed(method, JsonSerializer.Serialize(biz));
        using var content = new StringContent(SignedParameters.Encode(parameters), Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await http.CreateClient(HttpClientName).PostAsync(Options.GatewayUrl, content, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return AlipayAnswer.Read(text, method, PublicKey);
    }

    /// <summary>A trade as a notification (paid time in gmt_payment) or a query (send_pay_date) reports it; null when unreadable.</summary>
    private static GatewayPayment? Payment(IReadOnlyDictionary<string, string> fields, string paidAtField)
    {
        var status = Value(fields, "trade_status") switch
        {
            "TRADE_SUCCESS" or "TRADE_FINISHED" => GatewayPaymentStatus.Paid,
            "WAIT_BUYER_PAY" => GatewayPaymentStatus.Unpaid,
            "TRADE_CLOSED" => GatewayPaymentStatus.Closed,
            _ => (GatewayPaymentStatus?)null,
        };
        if (status is null || Value(fields, "out_trade_no") is not { Length: > 0 } reference || Value(fields, "trade_no") is not { Length: > 0 } tradeNo
            || !decimal.TryParse(Value(fields, "total_amount"), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            return null;
        DateTimeOffset? paidAt = DateTime.TryParseExact(Value(fields, paidAtField), TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? new DateTimeOffset(local, ChinaTime).ToUniversalTime()
            : null;
        return new GatewayPayment(reference, tradeNo, amount, status.Value, paidAt);
    }

    private static string? Value(IReadOnlyDictionary<string, string> fields, string name) => fields.TryGetValue(name, out var value) ? value : null;

    private static string Amount(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    private static string ChinaTimeText(DateTimeOffset at) => at.ToOffset(ChinaTime).ToString(TimeFormat, CultureInfo.InvariantCulture);
}
