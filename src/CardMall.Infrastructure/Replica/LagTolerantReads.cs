using CardMall.Application.Abstractions;
using CardMall.Infrastructure.Persistence;

namespace CardMall.Infrastructure.Replica;

/// <summary>
/// One scope's lag-tolerant reads: the replica's context (made on first use, disposed with the scope) when
/// <see cref="ReplicaState"/> allows it, else the scope's own context on the primary.
/// </summary>
internal sealed class LagTolerantReads(ICardMallDb primary, ReplicaState replica) : ILagTolerantReads, IAsyncDisposable, IDisposable
{
    private CardMallDbContext? _replica;

    public async ValueTask<ICardMallDb> OpenAsync(CancellationToken ct)
    {
        if (_replica is not null) return _replica;
        if (!await replica.UsableAsync(ct)) return primary;
        return _replica = replica.OpenContext();
    }

    public async ValueTask DisposeAsync()
    {
        if (_replica is not null) await _replica.DisposeAsync();
    }

    public void Dispose() => _replica?.Dispose();
}
