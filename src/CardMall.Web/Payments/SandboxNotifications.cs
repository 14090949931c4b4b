using System.Net.Http.Headers;
using System.Text.Json;
using CardMall.Infrastructure.Payments;
using CardMall.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Web.Payments;

/// <summary>
/// The sandbox's notifications to the shop, sent the way real gateways send them: a server-to-server
/// POST of JSON signed with HMAC-SHA256, repeated with growing pauses until the shop answers 2xx, then
/// given up (the shop's polling settles what never arrived). The queue is the sandbox_payments table, so
/// it survives restarts, and each pass claims its rows with SKIP LOCKED and a lease, so several web
/// nodes never send the same notification at the same moment.
/// </summary>
public sealed class SandboxNotifications(
    IServiceScopeFactory scopes, IHttpClientFactory httpClients, SandboxSecret secret, TimeProvider clock, ILogger<SandboxNotifications> logger)
{
    public const string HttpClientName = "sandbox-notify";

    /// <summary>The pause after each failed attempt; after the last one the sandbox stops trying.</summary>
    private static readonly TimeSpan[] RetryAfter =
        [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1)];

    /// <summary>How long a claimed notification is left to the node that claimed it (longer than one HTTP attempt).</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    private const int BatchSize = 20;

    private readonly SemaphoreSlim _due = new(0, 1);

    /// <summary>Tells the sender a notification is due now (a payment was just made), instead of at its next round.</summary>
    public void Wake()
    {
        if (_due.CurrentCount == 0)
        {
            try { _due.Release(); }
            catch (SemaphoreFullException) { }
        }
    }

    public Task<bool> WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken) => _due.WaitAsync(timeout, cancellationToken);

    /// <summary>One pass: sends every notification that is due, once each; returns how many the shop accepted.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        List<SandboxPayment> claimed;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
            claimed = await db.Set<SandboxPayment>().FromSql($"""
                UPDATE sandbox_payments SET next_notify_at = {now + Lease}, notify_attempts = notify_attempts + 1
                WHERE trade_no IN (
                    SELECT trade_no FROM sandbox_payments
                    WHERE next_notify_at <= {now}
                    ORDER BY next_notify_at
                    LIMIT {BatchSize}
                    FOR UPDATE SKIP LOCKED)
                RETURNING *
                """).AsNoTracking().ToListAsync(cancellationToken);
        }

        var accepted = 0;
        foreach (var payment in claimed)
        {
            var ok = await SendAsync(payment, cancellationToken);
            if (ok) accepted++;
            await RecordAsync(payment, ok, cancellationToken);
        }
        return accepted;
    }

    private async Task<bool> SendAsync(SandboxPayment payment, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new SandboxNotification(payment.Reference, payment.TradeNo, payment.Amount, "paid", payment.PaidAt), SandboxNotification.Json);
        using var request = new HttpRequestMessage(HttpMethod.Post, payment.NotifyUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation(SandboxSignature.Header, SandboxSignature.Sign(secret.Key, body));
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode) return true;
            logger.LogWarning("Sandbox notification for trade {TradeNo} (reference {Reference}), attempt {Attempt}: the shop answered {Status}",
                payment.TradeNo, payment.Reference, payment.NotifyAttempts, (int)response.StatusCode);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning("Sandbox notification for trade {TradeNo} (reference {Reference}), attempt {Attempt}: {Error}",
                payment.TradeNo, payment.Reference, payment.NotifyAttempts, ex.GetType().Name);
        }
        return false;
    }

    private async Task RecordAsync(SandboxPayment payment, bool accepted, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        DateTimeOffset? next = accepted || payment.NotifyAttempts > RetryAfter.Length ? null : now + RetryAfter[payment.NotifyAttempts - 1];
        DateTimeOffset? notifiedAt = accepted ? now : null;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
        await db.Set<SandboxPayment>().Where(p => p.TradeNo == payment.TradeNo)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.NextNotifyAt, next).SetProperty(p => p.NotifiedAt, notifiedAt), cancellationToken);
    }
}
