using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using CardMall.Application.Abstractions;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Verification;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace CardMall.Infrastructure.Suppliers;

/// <summary>
/// The "sandbox" protocol: a supplier interface called over HTTP exactly like a remote one — the built-in
/// sandbox supplier (CardMall.Web/Sandbox) or anything that speaks <see cref="SandboxSupplierProtocol"/>.
/// Each call goes through the supplier's own pipeline (<see cref="SupplierCircuits"/>: timeout, retries,
/// circuit breaker) and is recorded once, after its retries (<see cref="SupplierCallLog"/>). A supplier
/// problem is an answer (<see cref="SupplierAnswer.Unreachable"/> with a reason), never an exception.
/// The key travels in the request body only; neither it nor the body is ever logged (the HTTP client's
/// own logging is removed at registration).
/// </summary>
internal sealed class SandboxSupplierGateway(
    IHttpClientFactory httpClients, SupplierCircuits circuits, SupplierCallLog calls, SandboxSupplierAddress address,
    ILogger<SandboxSupplierGateway> logger) : ISupplierGateway
{
    public const string HttpClientName = "supplier-sandbox";

    public string Protocol => SandboxSupplierProtocol.Name;

    public async Task<SupplierKeyStatus> QueryKeyAsync(Supplier supplier, OpenedCardKey key, CancellationToken cancellationToken)
    {
        var call = await CallAsync(supplier, SupplierCallLog.QueryKey, SandboxSupplierProtocol.QueryPath, new SandboxKeyQuery(key.Code),
            ReadKeyStatus, cancellationToken);
        return call.Answer is KeyAnswer answer
            ? new SupplierKeyStatus(answer.Answer, answer.RedeemedAt, null, call.LatencyMs)
            : new SupplierKeyStatus(SupplierAnswer.Unreachable, null, call.Error, call.LatencyMs);
    }

    public async Task<SupplierCaseReport> ReportCaseAsync(Supplier supplier, OpenedCardKey key, string question, CancellationToken cancellationToken)
    {
        var call = await CallAsync(supplier, SupplierCallLog.ReportCase, SandboxSupplierProtocol.CasesPath, new SandboxCaseReport(key.Code, question),
            ReadCaseReference, cancellationToken);
        return call.Answer is string reference
            ? new SupplierCaseReport(true, reference, null)
            : new SupplierCaseReport(false, null, call.Error);
    }

    private async Task<CallResult> CallAsync<TBody>(
        Supplier supplier, string operation, string path, TBody body, Func<string, object?> read, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        CallResult result;
        try
        {
            var uri = address.For(supplier, path);
            var client = httpClients.CreateClient(HttpClientName);
            var reply = await circuits.For(supplier.Id).ExecuteAsync(async token =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = JsonContent.Create(body, options: SandboxSupplierProtocol.Json) };
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, token);
                var status = (int)response.StatusCode;
                if (!response.IsSuccessStatusCode) return new SupplierReply(status, null);
                // The body was read (and capped) inside the attempt, so a supplier that sends it slowly times out too.
                return new SupplierReply(status, read(await response.Content.ReadAsStringAsync(token)));
            }, cancellationToken);
            result = reply switch
            {
                { IsUsable: true } => new CallResult(reply.Answer, "ok", null, reply.Status),
                { IsSuccessStatus: true } => new CallResult(null, "bad_response", "bad_response", reply.Status),
                _ => new CallResult(null, "error", "http_" + reply.Status, reply.Status),
            };
        }
        catch (BrokenCircuitException)
        {
            result = new CallResult(null, "circuit_open", "circuit_open", null);
        }
        catch (TimeoutRejectedException)
        {
            result = new CallResult(null, "timeout", "timeout", null);
        }
        catch (HttpRequestException)
        {
            // The message may name the address; the reason is enough.
            result = new CallResult(null, "error", "connection_failed", null);
        }
        catch (UriFormatException)
        {
            result = new CallResult(null, "error", "bad_address", null);
        }

        result = result with { LatencyMs = (int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(started).TotalMilliseconds) };
        await calls.RecordAsync(supplier.Id, operation, result.LatencyMs, result.Outcome, result.HttpStatus, cancellationToken);
        if (result.Outcome == "ok")
            logger.LogInformation("Supplier {SupplierCode} {Operation}: ok in {LatencyMs} ms", supplier.Code, operation, result.LatencyMs);
        else
            logger.LogWarning("Supplier {SupplierCode} {Operation}: {Outcome} ({Error}) after {LatencyMs} ms",
                supplier.Code, operation, result.Outcome, result.Error, result.LatencyMs);
        return result;
    }

    /// <summary>{status, redeemedAt}; null when it is not JSON or not one of the four statuses.</summary>
    private static object? ReadKeyStatus(string text)
    {
        var status = Deserialize<SandboxKeyStatus>(text);
        return status?.Status switch
        {
            "unused" => new KeyAnswer(SupplierAnswer.Unused, null),
            "redeemed" => new KeyAnswer(SupplierAnswer.Redeemed, status.RedeemedAt?.ToUniversalTime()),
            "invalid" => new KeyAnswer(SupplierAnswer.Invalid, null),
            "unknown" => new KeyAnswer(SupplierAnswer.Unknown, null),
            _ => null,
        };
    }

    private static object? ReadCaseReference(string text) =>
        Deserialize<SandboxCaseAccepted>(text)?.Reference is { Length: > 0 and <= 100 } reference ? reference : null;

    private static T? Deserialize<T>(string text) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(text, SandboxSupplierProtocol.Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record KeyAnswer(SupplierAnswer Answer, DateTimeOffset? RedeemedAt);

    private sealed record CallResult(object? Answer, string Outcome, string? Error, int? HttpStatus)
    {
        public int LatencyMs { get; init; }
    }
}
