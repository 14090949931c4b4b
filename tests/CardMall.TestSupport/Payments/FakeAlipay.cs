using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CardMall.Infrastructure.Payments;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CardMall.TestSupport.Payments;

/// <summary>
/// A local stand-in for Alipay's open platform gateway (gateway.do), on a random loopback port, that checks the
/// shop's requests the way Alipay documents: every parameter present, RSA2 signature over the sorted parameters
/// verified with the merchant's public key, the right app_id. GET is the cashier (the buyer opening the pay page
/// creates the trade); POST answers alipay.trade.query / close / refund, signed with the fake's own key over the
/// response node. A test "pays" a trade with <see cref="PayAsync"/>, which posts the signed notification to the
/// shop's notify_url — or does not, to play a lost notification.
/// </summary>
public sealed class FakeAlipay : IAsyncDisposable
{
    public const string AppId = "2021000000001234";
    public const string SellerId = "2088000000005678";

    private readonly RSA _merchantKey = RSA.Create(2048);
    private readonly RSA _alipayKey = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, Trade> _trades = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, decimal> _refunds = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _refused = new();
    private WebApplication? _app;

    /// <summary>The merchant's key pair is made here for the test; the shop gets the private half (bare base64 PKCS#8).</summary>
    public string MerchantPrivateKey => Convert.ToBase64String(_merchantKey.ExportPkcs8PrivateKey());

    /// <summary>The fake's own public key, as Alipay shows "支付宝公钥" (bare base64 SubjectPublicKeyInfo).</summary>
    public string AlipayPublicKey => Convert.ToBase64String(_alipayKey.ExportSubjectPublicKeyInfo());

    public string GatewayUrl { get; private set; } = "";

    /// <summary>How the fake reaches the shop's notify_url (the in-memory test server); set by the test.</summary>
    public Func<HttpClient>? ShopClient { get; set; }

    /// <summary>Requests refused and why (bad signature, wrong app id, missing parameter).</summary>
    public IReadOnlyCollection<string> Refused => _refused;

    public IReadOnlyDictionary<string, decimal> Refunds => _refunds;

    public Trade? Find(string outTradeNo) => _trades.GetValueOrDefault(outTradeNo);

    public static async Task<FakeAlipay> StartAsync()
    {
        var fake = new FakeAlipay();
        var app = await LoopbackHost.StartAsync(host =>
        {
            host.MapGet("/gateway.do", fake.Cashier);
            host.MapPost("/gateway.do", fake.ApiAsync);
        });
        fake._app = app;
        fake.GatewayUrl = app.Urls.First() + "/gateway.do";
        return fake;
    }

    /// <summary>The buyer pays the trade; the notification goes out unless it is to be lost. Returns the shop's answer ("success", "fail") or null.</summary>
    public async Task<string?> PayAsync(string outTradeNo, bool notify = true, decimal? notifiedAmount = null, Func<Dictionary<string, string>, Dictionary<string, string>>? tamper = null)
    {
        var trade = _trades[outTradeNo];
        lock (trade)
        {
            trade.Status = "TRADE_SUCCESS";
            trade.PaidAt = DateTimeOffset.UtcNow;
        }
        return notify ? await NotifyAsync(trade, notifiedAmount, tamper) : null;
    }

    /// <summary>Sends the trade's notification as Alipay does: a form POST, signed over all fields but sign and sign_type.</summary>
    public async Task<string> NotifyAsync(Trade trade, decimal? notifiedAmount = null, Func<Dictionary<string, string>, Dictionary<string, string>>? tamper = null,
        RSA? signWith = null)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["notify_time"] = ChinaTime(DateTimeOffset.UtcNow),
            ["notify_type"] = "trade_status_sync",
            ["notify_id"] = Guid.NewGuid().ToString("N"),
            ["charset"] = "utf-8",
            ["version"] = "1.0",
            ["app_id"] = AppId,
            ["seller_id"] = SellerId,
            ["auth_app_id"] = AppId,
            ["trade_no"] = trade.TradeNo,
            ["out_trade_no"] = trade.OutTradeNo,
            ["trade_status"] = trade.Status,
            ["total_amount"] = Money(notifiedAmount ?? trade.Amount),
            ["subject"] = trade.Subject,
            ["gmt_create"] = ChinaTime(trade.CreatedAt),
            ["gmt_payment"] = ChinaTime(trade.PaidAt ?? DateTimeOffset.UtcNow),
        };
        fields["sign"] = AlipaySignature.Sign(SignedParameters.Text(fields, "sign", "sign_type"), signWith ?? _alipayKey);
        fields["sign_type"] = "RSA2";
        if (tamper is not null) fields = tamper(fields);
        using var client = (ShopClient ?? throw new InvalidOperationException("Set ShopClient first."))();
        using var body = new StringContent(SignedParameters.Encode(fields), Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await client.PostAsync(trade.NotifyUrl, body);
        return await response.Content.ReadAsStringAsync();
    }

    private IResult Cashier(HttpRequest request)
    {
        var fields = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        if (Refuse(fields, "alipay.trade.page.pay", "alipay.trade.wap.pay") is { } refusal) return Results.BadRequest(refusal);
        foreach (var required in new[] { "notify_url", "return_url" })
            if (!fields.ContainsKey(required)) return Results.BadRequest(Note("missing " + required));
        using var biz = JsonDocument.Parse(fields["biz_content"]);
        var b = biz.RootElement;
        var expected = fields["method"] == "alipay.trade.wap.pay" ? "QUICK_WAP_WAY" : "FAST_INSTANT_TRADE_PAY";
        if (b.GetProperty("product_code").GetString() != expected) return Results.BadRequest(Note("product_code"));
        var outTradeNo = b.GetProperty("out_trade_no").GetString()!;
        var amountText = b.GetProperty("total_amount").GetString()!;
        if (!System.Text.RegularExpressions.Regex.IsMatch(amountText, @"^\d+\.\d{2}$")) return Results.BadRequest(Note("total_amount " + amountText));
        var trade = _trades.GetOrAdd(outTradeNo, _ => new Trade(outTradeNo, "2026" + RandomNumberGenerator.GetInt32(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture),
            decimal.Parse(amountText, CultureInfo.InvariantCulture), b.GetProperty("subject").GetString()!, fields["notify_url"], fields["method"],
            b.GetProperty("time_expire").GetString()!, DateTimeOffset.UtcNow));
        return Results.Text($"Fake Alipay cashier: {trade.OutTradeNo} ¥{Money(trade.Amount)} {trade.Subject}", "text/plain; charset=utf-8");
    }

    private async Task<IResult> ApiAsync(HttpRequest request)
    {
        var form = (await request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        if (Refuse(form, "alipay.trade.query", "alipay.trade.close", "alipay.trade.refund") is { } refusal)
            return Signed(form.GetValueOrDefault("method") ?? "error", Error("40002", "isv.invalid-signature", refusal));
        var method = form["method"];
        using var biz = JsonDocument.Parse(form["biz_content"]);
        var outTradeNo = biz.RootElement.TryGetProperty("out_trade_no", out var o) ? o.GetString() : null;
        var trade = outTradeNo is null ? null : _trades.GetValueOrDefault(outTradeNo);
        if (trade is null) return Signed(method, Error("40004", AlipayGateway.TradeNotExist, "交易不存在"));
        lock (trade)
        {
            switch (method)
            {
                case "alipay.trade.close":
                    if (trade.Status != "WAIT_BUYER_PAY") return Signed(method, Error("40004", "ACQ.TRADE_STATUS_ERROR", "交易状态不合法"));
                    trade.Status = "TRADE_CLOSED";
                    return Signed(method, Success(new() { ["trade_no"] = trade.TradeNo, ["out_trade_no"] = trade.OutTradeNo }));
                case "alipay.trade.refund":
                    var requestNo = biz.RootElement.GetProperty("out_request_no").GetString()!;
                    var amount = decimal.Parse(biz.RootElement.GetProperty("refund_amount").GetString()!, CultureInfo.InvariantCulture);
                    if (trade.Status != "TRADE_SUCCESS") return Signed(method, Error("40004", "ACQ.TRADE_STATUS_ERROR", "交易状态不合法"));
                    // out_request_no makes a refund idempotent: the same number again changes no funds.
                    var fresh = _refunds.TryAdd(requestNo, amount);
                    if (fresh) trade.Refunded += amount;
                    return Signed(method, Success(new()
                    {
                        ["trade_no"] = trade.TradeNo, ["out_trade_no"] = trade.OutTradeNo, ["fund_change"] = fresh ? "Y" : "N", ["refund_fee"] = Money(trade.Refunded),
                    }));
                default:
                    var fields = new Dictionary<string, string>
                    {
                        ["trade_no"] = trade.TradeNo, ["out_trade_no"] = trade.OutTradeNo, ["trade_status"] = trade.Status, ["total_amount"] = Money(trade.Amount),
                    };
                    if (trade.PaidAt is { } paidAt) fields["send_pay_date"] = ChinaTime(paidAt);
                    return Signed(method, Success(fields));
            }
        }
    }

    /// <summary>Why a request is refused, or null: the documented common parameters, app_id, and the RSA2 signature with the merchant's key.</summary>
    private string? Refuse(Dictionary<string, string> fields, params string[] methods)
    {
        foreach (var required in new[] { "app_id", "method", "format", "charset", "sign_type", "sign", "timestamp", "version", "biz_content" })
            if (!fields.TryGetValue(required, out var value) || value.Length == 0) return Note("missing " + required);
        if (!methods.Contains(fields["method"])) return Note("method " + fields["method"]);
        if (fields["app_id"] != AppId) return Note("app_id");
        if ((fields["format"], fields["charset"], fields["sign_type"], fields["version"]) != ("JSON", "utf-8", "RSA2", "1.0")) return Note("common parameters");
        if (!DateTime.TryParseExact(fields["timestamp"], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)) return Note("timestamp");
        if (!AlipaySignature.Verify(SignedParameters.Text(fields, "sign"), fields["sign"], _merchantKey)) return Note("signature");
        return null;
    }

    private string Note(string why)
    {
        _refused.Enqueue(why);
        return why;
    }

    private static Dictionary<string, string> Success(Dictionary<string, string> fields) =>
        new Dictionary<string, string> { ["code"] = "10000", ["msg"] = "Success" }.Concat(fields).ToDictionary();

    private static Dictionary<string, string> Error(string code, string subCode, string subMessage) =>
        new() { ["code"] = code, ["msg"] = "Business Failed", ["sub_code"] = subCode, ["sub_msg"] = subMessage };

    /// <summary>{"…_response": {…}, "sign": "…"}, the signature over the node's text exactly as sent.</summary>
    private IResult Signed(string method, Dictionary<string, string> node)
    {
        var text = JsonSerializer.Serialize(node);
        var sign = AlipaySignature.Sign(text, _alipayKey);
        return Results.Text($"{{\"{method.Replace('.', '_')}_response\":{text},\"sign\":\"{sign}\"}}", "application/json; charset=utf-8");
    }

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    private static string ChinaTime(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        _merchantKey.Dispose();
        _alipayKey.Dispose();
    }

    public sealed class Trade(string outTradeNo, string tradeNo, decimal amount, string subject, string notifyUrl, string method, string timeExpire, DateTimeOffset createdAt)
    {
        public string OutTradeNo { get; } = outTradeNo;
        public string TradeNo { get; } = tradeNo;
        public decimal Amount { get; } = amount;
        public string Subject { get; } = subject;
        public string NotifyUrl { get; } = notifyUrl;
        public string Method { get; } = method;
        public string TimeExpire { get; } = timeExpire;
        public DateTimeOffset CreatedAt { get; } = createdAt;
        public string Status { get; set; } = "WAIT_BUYER_PAY";
        public DateTimeOffset? PaidAt { get; set; }
        public decimal Refunded { get; set; }
    }
}
