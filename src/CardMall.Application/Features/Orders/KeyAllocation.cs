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
    /// <summary>Up to <paramref name="count"/> keys, locked until the transaction ends; fewer when stock runs short.</summary>
    public static Task<List<CardKey>> TakeAvailableAsync(this ICardMallDb db, Guid productId, int count, DateTimeOffset now, CancellationToken ct) =>
        db.CardKeys.FromSql($"""
            SELECT * FROM card_keys
            WHERE product_id = {productId} AND state = 'Available' AND (expires_at IS NULL OR expires_at > {now})
            ORDER BY expires_at NULLS LAST, id
            LIMIT {count}
            FOR UPDATE SKIP LOCKED
            """).ToListAsync(ct);
}
