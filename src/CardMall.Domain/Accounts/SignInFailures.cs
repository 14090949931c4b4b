namespace CardMall.Domain.Accounts;

/// <summary>
/// Wrong passwords for one account from one address. Five in a row lock that pair — not the account — for
/// 15 minutes, so a stranger guessing a staff member's password locks out only themselves (issue 14, item 7).
/// Counted whether or not the account exists, so the answer never tells. A success forgets the pair.
/// </summary>
public sealed class SignInFailures
{
    private SignInFailures() { }

    public SignInFailures(string account, string source)
    {
        Account = Normalise(account);
        Source = source.Length > 64 ? source[..64] : source;
    }

    public const int Allowed = 5;
    public static readonly TimeSpan LockFor = TimeSpan.FromMinutes(15);

    /// <summary>The e-mail as typed, trimmed and upper-cased (as Identity normalises it).</summary>
    public string Account { get; private set; } = "";
    /// <summary>The client's address (through trusted proxies only).</summary>
    public string Source { get; private set; } = "";
    public int Failures { get; private set; }
    public DateTimeOffset LastFailedAt { get; private set; }
    public DateTimeOffset? LockedUntil { get; private set; }

    public bool IsLocked(DateTimeOffset now) => LockedUntil > now;

    /// <summary>
    /// One more wrong password; the fifth locks the pair (for <see cref="LockFor"/>, or <paramref name="lockFor"/>:
    /// the guest lookup locks an e-mail for an hour). A lock that ran out starts a fresh count.
    /// </summary>
    public void Failed(DateTimeOffset now, TimeSpan? lockFor = null)
    {
        if (LockedUntil is { } until && until <= now)
        {
            Failures = 0;
            LockedUntil = null;
        }
        Failures++;
        LastFailedAt = now;
        if (Failures >= Allowed) LockedUntil = now + (lockFor ?? LockFor);
    }

    public static string Normalise(string account)
    {
        var normal = account.Trim().ToUpperInvariant();
        return normal.Length > 256 ? normal[..256] : normal;
    }
}
