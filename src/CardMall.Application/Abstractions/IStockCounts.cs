using CardMall.Domain.CardKeys;

namespace CardMall.Application.Abstractions;

/// <summary>
/// How many keys there are, per product, batch and state, without counting keys: the database keeps the
/// counts itself in the transaction that changes a key (migration 0014), so a read costs the same with a
/// thousand keys and with a million, and is exact at every commit.
/// </summary>
public interface IStockCounts
{
    /// <summary>Keys that can be sold now (available, unexpired) per product; all products when <paramref name="productIds"/> is null.</summary>
    Task<IReadOnlyDictionary<Guid, int>> SellableAsync(IReadOnlyCollection<Guid>? productIds, DateTimeOffset now, CancellationToken ct);

    /// <summary>Keys per product, batch and state (expired keys still count as available here: they are in stock, unsellable).</summary>
    Task<IReadOnlyList<KeyCount>> ByStateAsync(Guid? productId, IReadOnlyCollection<Guid>? batchIds, CancellationToken ct);
}

public sealed record KeyCount(Guid ProductId, Guid BatchId, CardKeyState State, int Keys);

/// <summary>
/// The stock levels buyers see on every catalogue page and in the products API: the exact counts as they
/// were at most a configured moment ago (one second by default), shared by every request of this node.
/// Checkout never trusts them; allocation is always exact.
/// </summary>
public interface IShelfStock
{
    ValueTask<IReadOnlyDictionary<Guid, int>> SellableAsync(CancellationToken ct);
}
