using CardMall.Domain.CardKeys;
using CardMall.Domain.Verification;

namespace CardMall.Application.Abstractions;

/// <summary>
/// A supplier's interface as the verification sees it: ask what became of a key, and report a case.
/// One implementation per protocol (<see cref="Supplier.Protocol"/>); each call is timed, retried on
/// transient failures, guarded by a circuit breaker and recorded for the supplier's API health. It never
/// throws for a supplier problem: no usable answer is <see cref="SupplierAnswer.Unreachable"/>.
/// </summary>
public interface ISupplierGateway
{
    /// <summary>The protocol this implementation speaks ("sandbox", …).</summary>
    string Protocol { get; }

    Task<SupplierKeyStatus> QueryKeyAsync(Supplier supplier, OpenedCardKey key, CancellationToken cancellationToken);

    Task<SupplierCaseReport> ReportCaseAsync(Supplier supplier, OpenedCardKey key, string question, CancellationToken cancellationToken);
}

/// <summary>The supplier's answer; <see cref="Error"/> says why there is none (timeout, http_500, circuit_open).</summary>
public sealed record SupplierKeyStatus(SupplierAnswer Answer, DateTimeOffset? RedeemedAt, string? Error, int LatencyMs);

public sealed record SupplierCaseReport(bool Accepted, string? Reference, string? Error);

public static class SupplierGateways
{
    public static ISupplierGateway? For(this IEnumerable<ISupplierGateway> gateways, Supplier supplier) =>
        gateways.FirstOrDefault(g => string.Equals(g.Protocol, supplier.Protocol, StringComparison.OrdinalIgnoreCase));
}
