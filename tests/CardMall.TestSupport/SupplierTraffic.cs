using System.Collections.Concurrent;
using System.Text.Json;
using CardMall.Infrastructure.Suppliers;
using Microsoft.Extensions.DependencyInjection;

namespace CardMall.TestSupport;

/// <summary>
/// Every attempt the supplier gateway sends to the sandbox supplier, and how it ended: the status the supplier
/// answered, or none when the caller gave up first (its timeout). Tests count attempts here instead of timing
/// calls or reading log lines written after the response: an attempt is recorded before the gateway sees its
/// outcome, so when a call returns, all of its attempts are here. Register with
/// <c>Configure = s => s.RecordSupplierTraffic(traffic)</c>.
/// </summary>
public sealed class SupplierTraffic
{
    private readonly ConcurrentQueue<SupplierAttempt> _attempts = new();
    private volatile Func<SupplierAttempt, CancellationToken, Task>? _onSending;

    /// <summary>The attempts for one key (as the caller spelled it), in the order they ended.</summary>
    public IReadOnlyList<SupplierAttempt> For(string code) => _attempts.Where(a => a.Code == code).ToList();

    /// <summary>
    /// Runs as each attempt is about to go out (the attempt is under way: its timeout is running), for a test
    /// that must look at the shop while the supplier is being asked.
    /// </summary>
    public void OnSending(Func<SupplierAttempt, CancellationToken, Task>? step) => _onSending = step;

    internal DelegatingHandler Handler() => new Recorder(this);

    private sealed class Recorder(SupplierTraffic traffic) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var attempt = new SupplierAttempt(request.RequestUri?.AbsolutePath ?? "", await CodeAsync(request, cancellationToken), null);
            try
            {
                if (traffic._onSending is { } step)
                    await step(attempt, cancellationToken);
                var response = await base.SendAsync(request, cancellationToken);
                traffic._attempts.Enqueue(attempt with { Status = (int)response.StatusCode });
                return response;
            }
            catch (OperationCanceledException)
            {
                traffic._attempts.Enqueue(attempt);
                throw;
            }
        }

        private static async Task<string> CodeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is null) return "";
            using var body = JsonDocument.Parse(await request.Content.ReadAsStringAsync(cancellationToken));
            return body.RootElement.TryGetProperty("code", out var code) ? code.GetString() ?? "" : "";
        }
    }
}

/// <summary>One attempt: where it went, for which key, and the supplier's status (null: no answer, the caller gave up).</summary>
public sealed record SupplierAttempt(string Path, string Code, int? Status)
{
    /// <summary>The sandbox supplier's status for a request whose caller hung up while it was still working on it.</summary>
    public const int ClientClosedRequest = 499;

    /// <summary>
    /// The caller gave up on the attempt (its timeout) before the supplier answered: no response reached it, or
    /// the in-memory test server handed back the sandbox's 499 for the request it saw abandoned.
    /// </summary>
    public bool CallerGaveUp => Status is null or ClientClosedRequest;
}

public static class SupplierTrafficWiring
{
    public static IServiceCollection RecordSupplierTraffic(this IServiceCollection services, SupplierTraffic traffic)
    {
        services.AddHttpClient(SandboxSupplierGateway.HttpClientName).AddHttpMessageHandler(traffic.Handler);
        return services;
    }
}
