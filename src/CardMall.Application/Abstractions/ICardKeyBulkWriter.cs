using CardMall.Domain.CardKeys;

namespace CardMall.Application.Abstractions;

/// <summary>Writes many card keys at once inside the current transaction, without loading them.</summary>
public interface ICardKeyBulkWriter
{
    /// <summary>New keys of an import (PostgreSQL COPY).</summary>
    Task WriteAsync(IReadOnlyList<CardKey> keys, CancellationToken cancellationToken);

    /// <summary>
    /// A batch freeze or release as <see cref="KeyBatch"/> decided it, in one statement with one event per key
    /// moved; how many keys moved. A key a checkout holds is waited for, then skipped if it no longer qualifies.
    /// </summary>
    Task<int> MoveAsync(BatchKeyMove move, CancellationToken cancellationToken);
}
