using System.Globalization;
using System.Text.Json;
using CardMall.Application.Abstractions;
using Microsoft.Extensions.Options;

namespace CardMall.Infrastructure.Payments;

/// <summary>
/// An epay (彩虹易支付) aggregator, the interface most card-shop payment services speak: the buyer is sent to
/// <c>submit.php</c> with MD5-signed parameters; the aggregator notifies <c>/payments/epay/notify</c> with a signed
/// query string; <c>api.php?act=order</c> answers what became of a payment and, where the aggregator has it,
/// <c>api.php?act=refund</c> gives money back. The protocol has no close: an unpaid payment past its time is reported
/// closed, and should the buyer still pay it later the shop pays that late payment back.
/// </summary>
public sealed class EpayGateway(IOptions<EpayOptions> options, PaymentAddresses addresses, IHttpClientFactory http, TimeProvider clock)
    : IPaymentGateway, IPaymentGatewaySettings
{
    public const string GatewayName = "epay";
    public const string HttpClientName = "epay";

    private EpayOptions Options => options.Value;

    public string Name => GatewayName;

    public bool AcceptsNewPayments => Options.Enabled && Options.IsConfigured;

    public NotificationReply Reply => NotificationReply.SuccessText;

    public GatewaySettingsView Settings => new(Options.Enabled, MerchantIds.Mask(Options.Pid), addresses.NotifyUrl(GatewayName));

    public Task<PaymentStarted> StartPaymentAsync(PaymentRequest request, CancellationToken cancellationToken)
    {
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("pid", Options.Pid ?? ""),
            new("type", Options.PayType),
            new("out_trade_no", request.Reference),
            new("notify_url", addresses.NotifyUrl(GatewayName)),
            new("return_url", addresses.ReturnUrl(request.ReturnPath)),
            new("name", request.Subject),
            new("money", Amount(request.Amount)),
        };
        parameters.Add(new("sign", EpaySignature.Sign(parameters, Options.Key ?? "")));
        parameters.Add(new("sign_type", "MD5"));
        // The aggregator numbers the trade when the buyer pays; the notification brings its trade_no.
        return Task.FromResult(new PaymentStarted(request.Reference, Options.Endpoint("submit.php") + "?" + SignedParameters.Encode(parameters)));
    }

    public NotificationCheck CheckNotification(PaymentNotice notice)
    {
        // Epay notifies by GET; some aggregators post the same fields as a form.
        var fields = notice.Query.Count > 0 ? new Dictionary<string, string>(notice.Query, StringComparer.Ordinal) : SignedParameters.FromForm(notice.Body);
        if (!Options.IsConfigured || !EpaySignature.IsValid(fields, Options.Key!))
            return new NotificationCheck(NotificationVerdict.BadSignature, null);
        if (fields.GetValueOrDefault("pid") != Options.Pid) return new NotificationCheck(NotificationVerdict.Malformed, null);
        if (fields.GetValueOrDefault("out_trade_no") is not { Length: > 0 } reference || fields.GetValueOrDefault("trade_no") is not { Length: > 0 } tradeNo
            || !TryAmount(fields.GetValueOrDefault("money"), out var amount))
            return new NotificationCheck(NotificationVerdict.Malformed, null);
        var status = fields.GetValueOrDefault("trade_status") == "TRADE_SUCCESS" ? GatewayPaymentStatus.Paid : GatewayPaymentStatus.Unpaid;
        return new NotificationCheck(NotificationVerdict.Authentic,
            new GatewayPayment(reference, tradeNo, amount, status, status == GatewayPaymentStatus.Paid ? clock.GetUtcNow() : null));
    }

    public async Task<GatewayPayment?> QueryAsync(string reference, CancellationToken cancellationToken)
    {
        using var answer = await CallAsync([new("act", "order"), new("pid", Options.Pid ?? ""), new("key", Options.Key ?? ""), new("out_trade_no", reference)],
            cancellationToken);
        var root = answer.RootElement;
        // Anything but code 1 is "no such order" in this protocol (it has no separate error for it).
        if (Text(root, "code") != "1") return null;
        if (!TryAmount(Text(root, "money"), out var amount)) throw new InvalidOperationException("epay api.php?act=order answered without an amount.");
        var paid = Text(root, "status") == "1";
        DateTimeOffset? paidAt = paid && DateTime.TryParseExact(Text(root, "endtime"), "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end)
            ? new DateTimeOffset(end, TimeSpan.FromHours(8)).ToUniversalTime()
            : null;
        return new GatewayPayment(Text(root, "out_trade_no") ?? reference, Text(root, "trade_no") ?? reference, amount,
            paid ? GatewayPaymentStatus.Paid : GatewayPaymentStatus.Unpaid, paidAt);
    }

    /// <summary>Epay cannot close a payment: unpaid now is reported closed; a payment that still comes later is paid back.</summary>
    public async Task<GatewayPayment?> CloseAsync(string reference, CancellationToken cancellationToken)
    {
        var payment = await QueryAsync(reference, cancellationToken);
        return payment is { Status: GatewayPaymentStatus.Unpaid } ? payment with { Status = GatewayPaymentStatus.Closed } : payment;
    }

    public async Task<GatewayRefund> RefundAsync(RefundRequest request, CancellationToken cancellationToken)
    {
        if (!Options.RefundSupported) return new GatewayRefund(RefundOutcome.NotSupported, "epay_refund_not_supported");
        using var answer = await CallAsync(
            [new("act", "refund"), new("pid", Options.Pid ?? ""), new("key", Options.Key ?? ""), new("trade_no", request.TradeNo),
             new("money", Amount(request.Amount)), new("out_refund_no", request.RefundNo)],
            cancellationToken, post: true);
        return Text(answer.RootElement, "code") == "1"
            ? new GatewayRefund(RefundOutcome.Refunded)
            : new GatewayRefund(RefundOutcome.Failed, Text(answer.RootElement, "msg") ?? "epay_refund_refused");
    }

    public async Task<ConnectionCheck> TestConnectionAsync(CancellationToken cancellationToken)
    {
        if (!Options.IsConfigured) return new ConnectionCheck(false, "epay: BaseUrl, Pid and Key are required");
        try
        {
            using var answer = await CallAsync(
                [new("act", "order"), new("pid", Options.Pid!), new("key", Options.Key!), new("out_trade_no", "TEST" + clock.GetUtcNow().ToUnixTimeMilliseconds())],
                cancellationToken);
            // The protocol has no harmless signed call: an answer in its JSON shape proves the address and merchant are right.
            var message = Text(answer.RootElement, "msg");
            return new ConnectionCheck(true, "epay: api.php answered" + (message is null ? "" : " (" + message + ")"));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return new ConnectionCheck(false, "epay: " + ex.Message);
        }
    }

    /// <summary>api.php with the parameters in the query (GET) or a form (POST); its answer must be a JSON object.</summary>
    private async Task<JsonDocument> CallAsync(List<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken, bool post = false)
    {
        var client = http.CreateClient(HttpClientName);
        using var form = new FormUrlEncodedContent(parameters);
        using var response = post
            ? await client.PostAsync(Options.Endpoint("api.php"), form, cancellationToken)
            : await client.GetAsync(Options.Endpoint("api.php") + "?" + SignedParameters.Encode(parameters), cancellationToken);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new JsonException("epay api.php did not answer a JSON object");
        }
        return document;
    }

    /// <summary>Epay answers numbers as numbers or strings, depending on the aggregator.</summary>
    private static string? Text(JsonElement root, string name) => root.TryGetProperty(name, out var value)
        ? value.ValueKind switch { JsonValueKind.String => value.GetString(), JsonValueKind.Number => value.GetRawText(), _ => null }
        : null;

    private static bool TryAmount(string? text, out decimal amount) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out amount) && amount > 0;

    private static string Amount(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);
}
