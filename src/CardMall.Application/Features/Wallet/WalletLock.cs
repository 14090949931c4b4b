using CardMall.Application.Abstractions;

namespace CardMall.Application.Features.Wallet;

/// <summary>
/// The one way money code takes hold of a wallet: the row is locked (through
/// <see cref="IRowLocks"/>) for the rest of the transaction, so two movements of one buyer's money happen one
/// after the other, never interleaved.
/// </summary>
internal static class WalletLock
{
    /// <summary>The locked wallet, or null when the account has none (nothing to spend).</summary>
    public static Task<Domain.Wallets.Wallet?> LockAsync(this ICardMallDb db, Guid userId, CancellationToken ct) =>
        db.Locks.LockAsync<Domain.Wallets.Wallet>(userId, ct);

    /// <summary>The locked wallet, created first if missing (two first credits racing lock the same one).</summary>
    public static Task<Domain.Wallets.Wallet> LockOrCreateAsync(this ICardMallDb db, Guid userId, DateTimeOffset now, CancellationToken ct) =>
        db.Locks.WalletOrNewAsync(userId, now, ct);
}
