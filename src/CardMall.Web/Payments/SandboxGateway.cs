using System.Security.Cryptography;
using System.Text.Json;
using CardMall.Application.Abstractions;
using CardMall.Infrastructure.Payments;
using CardMall.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CardMall.Web.Payments;

/// <summary>
/// The built-in sandbox gateway, merchant side: it behaves like Alipay or WeChat Pay without moving real
/// money. A payment is opened for a top-up and paid on its own page (<c>/Sandbox/Pay/{tradeNo}</c>);
/// the result reaches the shop as a signed notification (<see cref="SandboxNotifications"/>) and can be
/// queried and closed. It keeps its own records in <c>sandbox_payments</c> through its own database
/// scope, as a separate system would, never inside the shop's transaction.
/// </summary>
public sealed class SandboxGateway(
    IServiceScopeFactory scopes, IOptions<SandboxOptions> options, SandboxSecret secret, SandboxNotifyAddress notifyAddress, TimeProvider clock)
    : IPaymentGateway
{
    public const string GatewayName = "sandbox";

    public string Name => GatewayName;

    public bool AcceptsNewPayments => options.Value.IsEnabled;

    public static string PayPath(string tradeNo) => "/Sandbox/Pay/" + Uri.EscapeDataString(tradeNo);

    public async Task<PaymentStarted> StartPaymentAsync(PaymentRequest request, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
        var payment = await db.Set<SandboxPayment>().AsNoTracking().FirstOrDefaultAsync(p => p.TopUpNo == request.TopUpNo, cancellationToken);
        if (payment is null)
        {
            var now = clock.GetUtcNow();
            payment = new SandboxPayment(NewTradeNo(now), request.TopUpNo, request.Amount, notifyAddress.NotifyUrl(),
                "/Wallet/TopUp/" + Uri.EscapeDataString(request.TopUpNo), now, request.ExpiresAt);
            db.Add(payment);
            await db.SaveChangesAsync(cancellationToken);
        }
        return new PaymentStarted(payment.TradeNo, PayPath(payment.TradeNo));
    }

    public NotificationCheck CheckNotification(IReadOnlyDictionary<string, string> headers, byte[] body)
    {
        // A switched-off sandbox vouches for nothing, whatever the secret.
        headers.TryGetValue(SandboxSignature.Header, out var signature);
        if (!options.Value.IsEnabled || !SandboxSignature.IsValid(secret.Key, signature, body))
            return new NotificationCheck(NotificationVerdict.BadSignature, null);
        try
        {
            var message = JsonSerializer.Deserialize<SandboxNotification>(body, SandboxNotification.Json);
            if (message is not { TopUpNo.Length: > 0, TradeNo.Length: > 0, Amount: { } amount } || !TryReadStatus(message.Status, out var status))
                return new NotificationCheck(NotificationVerdict.Malformed, null);
            return new NotificationCheck(NotificationVerdict.Authentic,
                new GatewayPayment(message.TopUpNo, message.TradeNo, amount, status, message.PaidAt));
        }
        catch (JsonException)
        {
            return new NotificationCheck(NotificationVerdict.Malformed, null);
        }
    }

    public async Task<GatewayPayment?> QueryAsync(string topUpNo, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
        var payment = await db.Set<SandboxPayment>().AsNoTracking().FirstOrDefaultAsync(p => p.TopUpNo == topUpNo, cancellationToken);
        return payment is null ? null : Describe(payment, clock.GetUtcNow());
    }

    public async Task<GatewayPayment?> CloseAsync(string topUpNo, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
        // One statement: a payment is either paid or closed, never both, however the two race.
        await db.Set<SandboxPayment>()
            .Where(p => p.TopUpNo == topUpNo && p.Status == SandboxPaymentStatus.Unpaid)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, SandboxPaymentStatus.Closed), cancellationToken);
        var payment = await db.Set<SandboxPayment>().AsNoTracking().FirstOrDefaultAsync(p => p.TopUpNo == topUpNo, cancellationToken);
        return payment is null ? null : Describe(payment, clock.GetUtcNow());
    }

    /// <summary>An unpaid payment past its time is reported closed, as real gateways close timed-out trades.</summary>
    private static GatewayPayment Describe(SandboxPayment p, DateTimeOffset now) =>
        new(p.TopUpNo, p.TradeNo, p.Amount, p.Status switch
        {
            SandboxPaymentStatus.Paid => GatewayPaymentStatus.Paid,
            SandboxPaymentStatus.Unpaid when now < p.ExpiresAt => GatewayPaymentStatus.Unpaid,
            _ => GatewayPaymentStatus.Closed,
        }, p.PaidAt);

    private static bool TryReadStatus(string? text, out GatewayPaymentStatus status)
    {
        status = text switch
        {
            "paid" => GatewayPaymentStatus.Paid,
            "unpaid" => GatewayPaymentStatus.Unpaid,
            "closed" => GatewayPaymentStatus.Closed,
            _ => (GatewayPaymentStatus)(-1),
        };
        return Enum.IsDefined(status);
    }

    /// <summary>"SB", the date and sixteen random digits: the pay page's address, so not guessable.</summary>
    private static string NewTradeNo(DateTimeOffset now) =>
        "SB" + now.UtcDateTime.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture)
        + RandomNumberGenerator.GetInt32(0, 100_000_000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture)
        + RandomNumberGenerator.GetInt32(0, 100_000_000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The body of a sandbox notification: {topUpNo, tradeNo, amount, status, paidAt}.</summary>
public sealed record SandboxNotification(string? TopUpNo, string? TradeNo, decimal? Amount, string? Status, DateTimeOffset? PaidAt)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
