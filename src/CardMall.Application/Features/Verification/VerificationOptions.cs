namespace CardMall.Application.Features.Verification;

/// <summary>Verification and supplier-interface settings (configuration section CardMall:Verification).</summary>
public sealed class VerificationOptions
{
    public const string Section = "CardMall:Verification";

    /// <summary>Automatic replacements per buyer within <see cref="ReplacementCapWindow"/>; beyond it a person decides.</summary>
    public int ReplacementCap { get; set; } = 3;

    public TimeSpan ReplacementCapWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long one supplier call may take before it counts as a timeout.</summary>
    public TimeSpan SupplierTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Retries of a transient failure (with exponential back-off from <see cref="RetryDelay"/>).</summary>
    public int SupplierRetries { get; set; } = 2;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Failures in a row after which the circuit opens, and how long it stays open.</summary>
    public int BreakAfterFailures { get; set; } = 5;

    public TimeSpan BreakFor { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the worker looks for pending verifications (filed tickets).</summary>
    public TimeSpan WorkerInterval { get; set; } = TimeSpan.FromSeconds(2);

    public bool WorkerEnabled { get; set; } = true;
}
