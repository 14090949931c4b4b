using CardMall.Application.Abstractions;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Wallet;

/// <summary>
/// The one way money code takes hold of a wallet: the row is locked (FOR UPDATE) for the rest of the
/// transaction, so two movements of one buyer's money happen one after the other, never interleaved.
/// </summary>
internal static class WalletLock
{
    /// <summary>The locked wallet, or null when the account has none (nothing to spend).</summary>
    public static async Task<Domain.Wallets.Wallet?> LockAsync(this ICardMallDb db, Guid userId, CancellationToken ct) =>
        (await db.Wallets.FromSql($"SELECT * FROM wallets WHERE user_id = {userId} FOR UPDATE").ToListAsync(ct)).FirstOrDefault();

    /// <summary>
    /// The locked wallet, created first if missing. Two first credits may race: the row is inserted with
    /// ON CONFLICT DO NOTHING, so both end up locking the same one.
    /// </summary>
    public static async Task<Domain.Wallets.Wallet> LockOrCreateAsync(this ICardMallDb db, Guid userId, DateTimeOffset now, CancellationToken ct)
    {
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO wallets (user_id, balance, updated_at) VALUES ({userId}, 0, {now}) ON CONFLICT (user_id) DO NOTHING", ct);
        return await db.LockAsync(userId, ct) ?? throw new InvalidOperationException("The wallet row vanished inside its own transaction.");
    }
}
