namespace CardMall.Application.Abstractions;

/// <summary>
/// The database for reads that may be a few seconds behind: the dashboards, CSV exports and the catalogue's shelves.
/// With a streaming replica configured, it is the replica while it answers and lags less than the stated maximum;
/// otherwise, and always on one node without a replica, it is the primary (this scope's <see cref="ICardMallDb"/>).
/// Never for anything a buyer just wrote and expects to see, nor for a read that decides a write.
/// </summary>
public interface ILagTolerantReads
{
    /// <summary>The database to read from for the rest of this scope (read-only when it is the replica).</summary>
    ValueTask<ICardMallDb> OpenAsync(CancellationToken ct);
}
