namespace CardMall.Application.Abstractions;

/// <summary>
/// The built-in sandbox supplier's answer book: which answer it gives for which key. The sandbox is a
/// stand-in for a system outside the shop and keeps its book in its own table (an Infrastructure entity),
/// so the use cases reach it through this port. Keys are held only as their fingerprints.
/// </summary>
public interface ISandboxSupplier
{
    /// <summary>Off in production (CardMall:SandboxSupplier:Enabled); then nothing may be set or listed.</summary>
    bool IsEnabled { get; }

    /// <summary>Sets the answer for one key (insert or replace), inside the caller's transaction.</summary>
    Task SetAnswerAsync(byte[] fingerprint, string answer, DateTimeOffset? redeemedAt, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The answers set, most recently changed first.</summary>
    Task<IReadOnlyList<SandboxAnswerRow>> ListAnswersAsync(int take, CancellationToken cancellationToken);
}

/// <summary>One key's answer, known only by the start of its fingerprint (the code itself is never kept).</summary>
public sealed record SandboxAnswerRow(string FingerprintPrefix, string Answer, DateTimeOffset? RedeemedAt, DateTimeOffset UpdatedAt);

/// <summary>What the sandbox supplier can be told to answer for a key.</summary>
public static class SandboxAnswers
{
    public const string Unused = "unused";
    public const string Redeemed = "redeemed";
    public const string Invalid = "invalid";
    /// <summary>Answers only after the supplier timeout has passed.</summary>
    public const string Slow = "slow";
    /// <summary>Answers HTTP 500.</summary>
    public const string Error = "error";

    public static readonly IReadOnlyList<string> All = [Unused, Redeemed, Invalid, Slow, Error];
}
