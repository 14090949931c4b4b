using System.Linq.Expressions;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Notifications;
using CardMall.Domain.Tickets;
using CardMall.Domain.Wallets;

namespace CardMall.Application.Abstractions;

/// <summary>
/// The locks use cases take for the rest of their transaction, behind one door in Infrastructure (the SQL
/// stays there). Each serialises one kind of race: one row's changes, one person's allowances, one key's
/// complaints, one background pass at a time. Reached as <c>db.Locks</c>; see ADR 0030.
/// </summary>
public interface IRowLocks
{
    // One row, loaded and locked until the transaction ends --------------------------------------------

    /// <summary>The entity with this primary key, loaded and locked; null when there is none.</summary>
    Task<T?> LockAsync<T>(Guid id, CancellationToken ct) where T : class;

    /// <summary>
    /// The entity whose unique <paramref name="column"/> holds <paramref name="value"/> (a ticket's or an
    /// incident's number, a key's code hash), loaded and locked; null when there is none.
    /// </summary>
    Task<T?> LockAsync<T, TValue>(Expression<Func<T, TValue>> column, TValue value, CancellationToken ct) where T : class;

    /// <summary>
    /// As <see cref="LockAsync{T}(Guid, CancellationToken)"/>, but skipping the row when another transaction holds
    /// it (SKIP LOCKED): null when there is none or somebody else is working on it right now (they finish it).
    /// </summary>
    Task<T?> TryLockAsync<T>(Guid id, CancellationToken ct) where T : class;

    /// <summary>One card key, loaded and locked (it must exist).</summary>
    Task<CardKey> CardKeyAsync(Guid cardKeyId, CancellationToken ct);

    /// <summary>Order items' rows, in id order (two filings about one key take turns).</summary>
    Task OrderItemsAsync(IReadOnlyCollection<Guid> orderItemIds, CancellationToken ct);

    // Rows made on first use, then locked ---------------------------------------------------------------

    /// <summary>
    /// The buyer's wallet, created empty first if missing, then locked. Two first credits may race: the row
    /// is inserted with ON CONFLICT DO NOTHING, so both end up locking the same one.
    /// </summary>
    Task<Wallet> WalletOrNewAsync(Guid userId, DateTimeOffset now, CancellationToken ct);

    /// <summary>The agent's profile, created off duty with no skills first if missing, then locked.</summary>
    Task<AgentProfile> AgentProfileOrNewAsync(Guid userId, DateTimeOffset now, CancellationToken ct);

    /// <summary>
    /// Writes the row now unless a row with the same unique key is there already (INSERT … ON CONFLICT DO
    /// NOTHING): of two writers racing, one wins and the other gets false, and neither transaction aborts.
    /// The entity is not tracked.
    /// </summary>
    Task<bool> AddOnceAsync<T>(T entity, CancellationToken ct) where T : class;

    // Claims: rows a background pass takes for itself, skipping rows others hold ---------------------------
    // A row somebody else holds is left for the next pass, so nodes share the work instead of queueing; the
    // caller judges each claimed row again by the domain's rules, since it may have changed before the lock.

    /// <summary>Up to <paramref name="limit"/> e-mails due at <paramref name="now"/>, unsent and not given up, longest waiting first.</summary>
    Task<List<OutgoingEmail>> ClaimDueEmailsAsync(DateTimeOffset now, int limit, CancellationToken ct);

    /// <summary>
    /// Up to <paramref name="limit"/> tickets whose running clock (not paused) owes a warning — at
    /// <paramref name="warnAt"/> of a target — or a breach at <paramref name="now"/>, oldest first.
    /// </summary>
    Task<List<Ticket>> ClaimTicketsWithClockDueAsync(DateTimeOffset now, double warnAt, int limit, CancellationToken ct);

    /// <summary>Up to <paramref name="limit"/> tickets resolved at or before <paramref name="resolvedBefore"/>, longest resolved first.</summary>
    Task<List<Ticket>> ClaimResolvedTicketsAsync(DateTimeOffset resolvedBefore, int limit, CancellationToken ct);

    /// <summary>
    /// Up to <paramref name="limit"/> tickets resolved at or before <paramref name="resolvedBefore"/> whose buyer has neither
    /// rated nor written since, and that had no check-in yet.
    /// </summary>
    Task<List<Ticket>> ClaimTicketsOwedCheckInAsync(DateTimeOffset resolvedBefore, int limit, CancellationToken ct);

    /// <summary>Up to <paramref name="limit"/> card keys sealed under a master key older than <paramref name="currentVersion"/>, in id order.</summary>
    Task<List<CardKey>> ClaimKeysSealedBeforeAsync(int currentVersion, int limit, CancellationToken ct);

    // Advisory locks: a subject with no row of its own ------------------------------------------------------

    /// <summary>One person's running totals in one space (evidence uploaded today, money paid out today): their changes take turns.</summary>
    Task PersonAsync(PersonLock space, Guid personId, CancellationToken ct);

    /// <summary>Waits for, then holds, the lock named <paramref name="key"/> until the transaction ends.</summary>
    Task TakeTurnsAsync(long key, CancellationToken ct);

    /// <summary>As <see cref="TakeTurnsAsync(long, CancellationToken)"/>, for one subject (a batch) in the lock space <paramref name="seed"/>.</summary>
    Task TakeTurnsAsync(Guid subject, long seed, CancellationToken ct);

    /// <summary>
    /// A background pass's transaction lock: true when this node holds it until the transaction ends, false
    /// at once when another node's pass is running.
    /// </summary>
    Task<bool> TryAloneAsync(long key, CancellationToken ct);

    /// <summary>
    /// A background pass that spans several transactions: a session lock on a connection kept open until the
    /// handle is disposed; null when another node's pass is running.
    /// </summary>
    Task<IAsyncDisposable?> TryAloneAcrossTransactionsAsync(long key, CancellationToken ct);
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

    /// <summary>A buyer's live chats ("chat"): two "talk to us" presses at once open one chat.</summary>
    Chat = 0x63686174,
}
