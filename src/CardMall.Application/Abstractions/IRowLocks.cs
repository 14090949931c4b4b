using CardMall.Domain.CardKeys;
using CardMall.Domain.Verification;

namespace CardMall.Application.Abstractions;

/// <summary>
/// The locks use cases take for the rest of their transaction, behind one door in Infrastructure (the SQL
/// stays there). Each serialises one kind of race: one person's allowances, one key's complaints, one key.
/// </summary>
public interface IRowLocks
{
    /// <summary>One person's running totals in one space (evidence uploaded today, money paid out today): their changes take turns.</summary>
    Task PersonAsync(PersonLock space, Guid personId, CancellationToken ct);

    /// <summary>Order items' rows, in id order (two filings about one key take turns).</summary>
    Task OrderItemsAsync(IReadOnlyCollection<Guid> orderItemIds, CancellationToken ct);

    /// <summary>One card key, loaded and locked.</summary>
    Task<CardKey> CardKeyAsync(Guid cardKeyId, CancellationToken ct);

    /// <summary>
    /// One key check, loaded and locked; null when it does not exist or, with <paramref name="skipLocked"/>, when
    /// another run holds it right now (that run finishes it).
    /// </summary>
    Task<KeyVerification?> KeyVerificationAsync(Guid verificationId, bool skipLocked, CancellationToken ct);
}

/// <summary>The spaces of per-person locks; each value is the first half of a two-key advisory lock.</summary>
public enum PersonLock
{
    /// <summary>A staff member's payouts and replacements today.</summary>
    StaffAllowance = 1418,

    /// <summary>A buyer's evidence images today ("evid").</summary>
    EvidenceQuota = 0x65766964,

    /// <summary>A buyer's automatic replacements within the cap's window ("vrfy"): two checks of one buyer count in turn.</summary>
    VerificationReplacements = 0x76726679,
}
