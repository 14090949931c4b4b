using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using CardMall.Infrastructure.Payments;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CardMall.TestSupport.Payments;

/// <summary>
/// A local stand-in for an epay (彩虹易支付) aggregator, on a random loopback port: <c>submit.php</c> checks the
/// shop's parameters and MD5 signature with the merchant key and opens the payment; <c>api.php?act=order</c> and
/// <c>act=refund</c> check pid and key and answer in the protocol's JSON. A test "pays" with <see cref="PayAsync"/>,
/// which calls the shop's notify_url with the signed query string — or does not, to play a lost notification.
/// </summary>
public sealed class FakeEpay : IAsyncDisposable
{
    public const string Pid = "10086";
    public string Key { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private readonly ConcurrentDictionary<string, Payment> _payments = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _refused = new();
    private readonly ConcurrentQueue<string> _refunds = new();
    private WebApplication? _app;

    public string BaseUrl { get; private set; } = "";

    public Func<HttpClient>? ShopClient { get; set; }

    public IReadOnlyCollection<string> Refused => _refused;

    /// <summary>The trade numbers refunded, one entry per refund made.</summary>
    public IReadOnlyCollection<string> Refunds => _refunds;

    public Payment? Find(string outTradeNo) => _payments.GetValueOrDefault(outTradeNo);

    public static async Task<FakeEpay> StartAsync()
    {
        var fake = new FakeEpay();
        var app = await LoopbackHost.StartAsync(host =>
        {
            host.MapGet("/submit.php", fake.Submit);
            host.MapMethods("/api.php", [HttpMethods.Get, HttpMethods.Post], fake.ApiAsync);
        });
        fake._app = app;
        fake.BaseUrl = app.Urls.First() + "/";
        return fake;
    }

    public async Task<string?> PayAsync(string outTradeNo, bool notify = true, decimal? notifiedMoney = null,
        Func<Dictionary<string, string>, Dictionary<string, string>>? tamper = null)
    {
        var payment = _payments[outTradeNo];
        payment.Paid = true;
        payment.PaidAt = DateTimeOffset.UtcNow;
        if (!notify) return null;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["pid"] = Pid, ["trade_no"] = payment.TradeNo, ["out_trade_no"] = payment.OutTradeNo, ["type"] = payment.Type,
            ["name"] = payment.Name, ["money"] = Money(notifiedMoney ?? payment.Money), ["trade_status"] = "TRADE_SUCCESS",
        };
        fields["sign"] = EpaySignature.Sign(fields, Key);
        fields["sign_type"] = "MD5";
        if (tamper is not null) fields = tamper(fields);
        using var client = (ShopClient ?? throw new InvalidOperationException("Set ShopClient first."))();
        using var response = await client.GetAsync(payment.NotifyUrl + "?" + SignedParameters.Encode(fields));
        return await response.Content.ReadAsStringAsync();
    }

    private IResult Submit(HttpRequest request)
    {
        var fields = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        foreach (var required in new[] { "pid", "type", "out_trade_no", "notify_url", "name", "money", "sign", "sign_type" })
            if (!fields.TryGetValue(required, out var value) || value.Length == 0) return Results.BadRequest(Note("missing " + required));
        if (fields["pid"] != Pid) return Results.BadRequest(Note("pid"));
        if (fields["sign_type"] != "MD5" || !EpaySignature.IsValid(fields, Key)) return Results.BadRequest(Note("signature"));
        if (!System.Text.RegularExpressions.Regex.IsMatch(fields["money"], @"^\d+(\.\d{1,2})?$")) return Results.BadRequest(Note("money"));
        var payment = _payments.GetOrAdd(fields["out_trade_no"], no => new Payment(no,
            DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + RandomNumberGenerator.GetInt32(10_000, 99_999).ToString(CultureInfo.InvariantCulture),
            decimal.Parse(fields["money"], CultureInfo.InvariantCulture), fields["name"], fields["type"], fields["notify_url"], fields.GetValueOrDefault("return_url")));
        return Results.Text($"Fake epay cashier: {payment.OutTradeNo} ¥{Money(payment.Money)} {payment.Name}", "text/plain; charset=utf-8");
    }

    private async Task<IResult> ApiAsync(HttpRequest request)
    {
        var fields = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        if (request.HasFormContentType)
            foreach (var (name, value) in await request.ReadFormAsync()) fields[name] = value.ToString();
        if (fields.GetValueOrDefault("pid") != Pid || fields.GetValueOrDefault("key") != Key)
        {
            Note("pid or key");
            return Results.Json(new { code = -3, msg = "KEY校验失败" });
        }
        switch (fields.GetValueOrDefault("act"))
        {
            case "order":
                if (fields.GetValueOrDefault("out_trade_no") is not { } no || _payments.GetValueOrDefault(no) is not { } payment)
                    return Results.Json(new { code = -1, msg = "订单号不存在" });
                return Results.Json(new
                {
                    code = 1, msg = "查询订单号成功！", trade_no = payment.TradeNo, out_trade_no = payment.OutTradeNo, type = payment.Type, pid = Pid,
                    addtime = ChinaTime(payment.CreatedAt), endtime = payment.PaidAt is { } at ? ChinaTime(at) : null, name = payment.Name,
                    money = Money(payment.Money), status = payment.Paid ? 1 : 0,
                });
            case "refund":
                var paid = _payments.Values.FirstOrDefault(p => p.TradeNo == fields.GetValueOrDefault("trade_no") && p.Paid);
                if (paid is null) return Results.Json(new { code = -1, msg = "订单不存在或未支付" });
                _refunds.Enqueue(paid.TradeNo);
                return Results.Json(new { code = 1, msg = "退款成功" });
            default:
                return Results.Json(new { code = -5, msg = "No Act!" });
        }
    }

    private string Note(string why)
    {
        _refused.Enqueue(why);
        return why;
    }

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    private static string ChinaTime(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }

    public sealed class Payment(string outTradeNo, string tradeNo, decimal money, string name, string type, string notifyUrl, string? returnUrl)
    {
        public string OutTradeNo { get; } = outTradeNo;
        public string TradeNo { get; } = tradeNo;
        public decimal Money { get; } = money;
        public string Name { get; } = name;
        public string Type { get; } = type;
        public string NotifyUrl { get; } = notifyUrl;
        public string? ReturnUrl { get; } = returnUrl;
        public DateTimeOffset CreatedAt { get; } = DateTimeOffset.UtcNow;
        public bool Paid { get; set; }
        public DateTimeOffset? PaidAt { get; set; }
    }
}
