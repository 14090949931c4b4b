using CardMall.Application.Abstractions;
using CardMall.Domain.CardKeys;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Orders;

/// <summary>
/// The one way keys leave stock, for a purchase and for a replacement alike: available, unexpired keys of
/// the product, soonest expiry first, locked with FOR UPDATE SKIP LOCKED so that concurrent buyers take
/// different keys instead of queueing behind each other — a key is never handed out twice.
/// </summary>
internal static class KeyAllocation
{
    /// <summary>
    /// Up to <paramref name="count"/> keys, locked until the transaction ends; fewer when stock runs short.
    /// Both statements are range scans of the partial index ix_card_keys_sellable (product, expiry, id) in its
    /// own order: keys that expire come first (already-expired ones are outside the range, not stepped over),
    /// then those that never expire. The cost is the keys taken, not the keys in stock. The WHERE clauses are
    /// <see cref="CardKey.SellableAt"/> split in two, written in SQL for the SKIP LOCKED claim: keep them in step.
    /// </summary>
    public static async Task<List<CardKey>> TakeAvailableAsync(this ICardMallDb db, Guid productId, int count, DateTimeOffset now, CancellationToken ct)
    {
        var keys = await db.CardKeys.FromSql($"""
            SELECT * FROM card_keys
            WHERE product_id = {productId} AND state = 'Available' AND expires_at > {now}
            ORDER BY expires_at, id
            LIMIT {count}
            FOR UPDATE SKIP LOCKED
            """).ToListAsync(ct);
        if (keys.Count < count)
        {
            keys.AddRange(await db.CardKeys.FromSql($"""
                SELECT * FROM card_keys
                WHERE product_id = {productId} AND state = 'Available' AND expires_at IS NULL
                ORDER BY id
                LIMIT {count - keys.Count}
                FOR UPDATE SKIP LOCKED
                """).ToListAsync(ct));
        }
        return keys;
    }
}
