namespace CardMall.Application.Abstractions;

/// <summary>How fast the suppliers' interfaces answer: percentiles, which LINQ cannot ask for, read in Infrastructure.</summary>
public interface ISupplierLatency
{
    /// <summary>
    /// Median and 90th-percentile latency in milliseconds of the calls made since <paramref name="since"/>, per
    /// supplier with at least one. A call the open circuit breaker stopped took no time and says nothing about
    /// the supplier's speed, so it is left out.
    /// </summary>
    Task<IReadOnlyDictionary<Guid, (double Median, double P90)>> SinceAsync(Guid[] supplierIds, DateTimeOffset since, CancellationToken ct);
}
