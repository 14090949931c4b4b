namespace CardMall.Domain.Verification;

/// <summary>One call to a supplier's interface, for its API health (error rate, latency). Never the key.</summary>
public sealed class SupplierCall
{
    private SupplierCall() { }

    public SupplierCall(Guid supplierId, string operation, DateTimeOffset at, int latencyMs, string outcome, int? httpStatus)
    {
        SupplierId = supplierId;
        Operation = operation;
        At = at;
        LatencyMs = latencyMs;
        Outcome = outcome;
        HttpStatus = httpStatus;
    }

    public long Id { get; private set; }
    public Guid SupplierId { get; private set; }
    /// <summary>query_key or report_case.</summary>
    public string Operation { get; private set; } = "";
    public DateTimeOffset At { get; private set; }
    public int LatencyMs { get; private set; }
    /// <summary>ok, timeout, error, circuit_open, bad_response.</summary>
    public string Outcome { get; private set; } = "";
    public int? HttpStatus { get; private set; }

    public bool Succeeded => Outcome == "ok";
}
