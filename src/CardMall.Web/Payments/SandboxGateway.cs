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
/// money. A payment is opened for a top-up or an order and paid on its own page (<c>/Sandbox/Pay/{tradeNo}</c>);
/// the result reaches the shop as a signed notification (<see cref="SandboxNotifications"/>) and can be
/// queried and closed. It keeps its own records in <c>sandbox_payments</c> through its own database
/// scope, as a separate system would, never inside the shop's transaction.
/// </summary>
public sealed class SandboxGateway(
    IServiceScopeFactory scopes, IOptions<SandboxOptions> options, SandboxSecret secret, SandboxNotifyAddress notifyAddress, TimeProvider clock)
    : IPaymentGateway, IPaymentGatewaySettings
{
    public const string GatewayName = "sandbox";

    public string Name => GatewayName;

    public bool AcceptsNewPayments => options.Value.IsEnabled;

    public NotificationReply Reply => NotificationReply.Json;

    /// <summary>The sandbox has no merchant: it is this shop.</summary>
    public GatewaySettingsView Settings => new(options.Value.IsEnabled, "—", notifyAddress.NotifyUrl());

    public static string PayPath(string tradeNo) => "/Sandbox/Pay/" + Uri.EscapeDataString(tradeNo);

    public async Task<PaymentStarted> StartPaymentAsync(PaymentRequest request, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
        var payment = await db.Set<SandboxPayment>().AsNoTracking().FirstOrDefaultAsync(p => p.Reference == request.Reference, cancellationToken);
        if (payment is null)
        {
            var now = clock.GetUtcNow();
            payment = new SandboxPayment(NewTradeNo(now), request.Reference, request.Amount, notifyAddress.NotifyUrl(),
                request.ReturnPath, now, request.ExpiresAt);
            db.Add(payment);
            await db.SaveChangesAsync(cancellationToken);
        }
        return new PaymentStarted(payment.TradeNo, PayPath(payment.TradeNo));
    }

    public NotificationCheck CheckNotification(PaymentNotice notice)
    {
        var body = notice.Body;
        // A switched-off sandbox vouches for nothing, whatever the secret.
        notice.Headers.TryGetValue(SandboxSignature.Header, out var signature);
        if (!options.Value.IsEnabled || !SandboxSignature.IsValid(secret.Key, signature, body))
            return new NotificationCheck(NotificationVerdict.BadSignature, null);
        try
        {
            var message = JsonSerializer.Deserialize<SandboxNotification>(body, SandboxNotification.Json);
            if (message is not { Reference.Length: > 0, TradeNo.Length: > 0, Amount: { } amount } || !TryReadStatus(message.Status, out var status))
                return new NotificationCheck(NotificationVerdict.Malformed, null);
            return new NotificationCheck(NotificationVerdict.Authentic,
                new GatewayPayment(message.Reference, message.TradeNo, amount, status, message.PaidAt));
        }
        catch (JsonException)
        {
            return new NotificationCheck(NotificationVerdict.Malformed, null);
        }
    }

    public async Task<GatewayPayment?> QueryAsync(string reference, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
        var payment = await db.Set<SandboxPayment>().AsNoTracking().FirstOrDefaultAsync(p => p.Reference == reference, cancellationToken);
        return payment is null ? null : Describe(payment, clock.GetUtcNow());
    }

    public async Task<GatewayPayment?> CloseAsync(string reference, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
        // One statement: a payment is either paid or closed, never both, however the two race.
        await db.Set<SandboxPayment>()
            .Where(p => p.Reference == reference && p.Status == SandboxPaymentStatus.Unpaid)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, SandboxPaymentStatus.Closed), cancellationToken);
        var payment = await db.Set<SandboxPayment>().AsNoTracking().FirstOrDefaultAsync(p => p.Reference == reference, cancellationToken);
        return payment is null ? null : Describe(payment, clock.GetUtcNow());
    }

    public async Task<GatewayRefund> RefundAsync(RefundRequest request, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
        // The shop's connections retry on transient faults, so the transaction runs inside the execution strategy.
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            // The payment row is locked so that two refunds of one payment add up instead of both fitting alone.
            var payment = await db.Set<SandboxPayment>()
                .FromSql($"SELECT * FROM sandbox_payments WHERE trade_no = {request.TradeNo} FOR UPDATE").AsNoTracking().FirstOrDefaultAsync(cancellationToken);
            if (payment is null || payment.Reference != request.Reference || payment.Status != SandboxPaymentStatus.Paid)
                return new GatewayRefund(RefundOutcome.Failed, "trade_not_paid");
            if (await db.Set<SandboxRefund>().AnyAsync(r => r.RefundNo == request.RefundNo, cancellationToken))
                return new GatewayRefund(RefundOutcome.Refunded, "already_refunded");
            if (payment.RefundedAmount + request.Amount > payment.Amount)
                return new GatewayRefund(RefundOutcome.Failed, "refund_exceeds_payment");
            db.Add(new SandboxRefund(request.RefundNo, payment.TradeNo, request.Amount, clock.GetUtcNow()));
            await db.SaveChangesAsync(cancellationToken);
            await db.Set<SandboxPayment>().Where(p => p.TradeNo == payment.TradeNo)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.RefundedAmount, p => p.RefundedAmount + request.Amount), cancellationToken);
            await tx.CommitAsync(cancellationToken);
            return new GatewayRefund(RefundOutcome.Refunded);
        });
    }

    public Task<ConnectionCheck> TestConnectionAsync(CancellationToken cancellationToken) =>
        Task.FromResult(options.Value.IsEnabled
            ? new ConnectionCheck(true, "sandbox: pay page and notifications run in this shop")
            : new ConnectionCheck(false, "sandbox: switched off (CardMall:Sandbox:Enabled)"));

    /// <summary>An unpaid payment past its time is reported closed, as real gateways close timed-out trades.</summary>
    private static GatewayPayment Describe(SandboxPayment p, DateTimeOffset now) =>
        new(p.Reference, p.TradeNo, p.Amount, p.Status switch
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

/// <summary>The body of a sandbox notification: {reference, tradeNo, amount, status, paidAt}.</summary>
public sealed record SandboxNotification(string? Reference, string? TradeNo, decimal? Amount, string? Status, DateTimeOffset? PaidAt)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
