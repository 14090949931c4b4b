using CardMall.Application.Abstractions;
using CardMall.Domain.CardKeys;
using CardMall.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Infrastructure.Stock;

/// <summary>Reads key_counts, the per-product, batch, state and expiry counts the card_keys triggers keep (migration 0014).</summary>
internal sealed class StockCounts(CardMallDbContext db) : IStockCounts
{
    /// <summary>
    /// Keys that can still be sold, by product: <see cref="CardKey.SellableAt"/> over key_counts, where a key
    /// without an expiry is counted under 'infinity', so the rule is one range condition.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, int>> SellableAsync(IReadOnlyCollection<Guid>? productIds, DateTimeOffset now, CancellationToken ct)
    {
        var rows = productIds is null
            ? db.Database.SqlQuery<Sellable>($"""
                SELECT product_id AS "ProductId", sum(keys)::integer AS "Keys" FROM key_counts
                WHERE state = 'Available' AND expires_at > {now} GROUP BY product_id
                """)
            : db.Database.SqlQuery<Sellable>($"""
                SELECT product_id AS "ProductId", sum(keys)::integer AS "Keys" FROM key_counts
                WHERE product_id = ANY({productIds.ToArray()}) AND state = 'Available' AND expires_at > {now} GROUP BY product_id
                """);
        return await rows.ToDictionaryAsync(r => r.ProductId, r => r.Keys, ct);
    }

    public async Task<IReadOnlyList<KeyCount>> ByStateAsync(Guid? productId, IReadOnlyCollection<Guid>? batchIds, CancellationToken ct)
    {
        var batches = batchIds?.ToArray();
        var rows = await db.Database.SqlQuery<ByState>($"""
            SELECT product_id AS "ProductId", batch_id AS "BatchId", state AS "State", sum(keys)::integer AS "Keys" FROM key_counts
            WHERE ({productId}::uuid IS NULL OR product_id = {productId}::uuid) AND ({batches}::uuid[] IS NULL OR batch_id = ANY({batches}::uuid[]))
            GROUP BY product_id, batch_id, state HAVING sum(keys) <> 0
            """).ToListAsync(ct);
        return rows.Select(r => new KeyCount(r.ProductId, r.BatchId, Enum.Parse<CardKeyState>(r.State), r.Keys)).ToList();
    }

    private sealed record Sellable(Guid ProductId, int Keys);

    private sealed record ByState(Guid ProductId, Guid BatchId, string State, int Keys);
}
