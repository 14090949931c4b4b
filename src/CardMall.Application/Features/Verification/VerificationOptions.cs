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

    /// <summary>
    /// Runs of one check before it goes to a person: a supplier that cannot be reached is asked again with
    /// exponential back-off from <see cref="RetryFirstAfter"/>; after the last attempt the ticket goes to an agent
    /// at High priority with the facts in an internal note. A poisoned check never blocks the others.
    /// </summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The first back-off (then twice, four times … as long); also the lease a run holds while it asks the supplier.</summary>
    public TimeSpan RetryFirstAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the worker looks for pending verifications (filed tickets).</summary>
    public TimeSpan WorkerInterval { get; set; } = TimeSpan.FromSeconds(2);

    public bool WorkerEnabled { get; set; } = true;
}
