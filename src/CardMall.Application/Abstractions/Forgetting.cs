namespace CardMall.Application.Abstractions;

/// <summary>What a change makes stale in what nodes keep in memory (docs/decisions/0041).</summary>
public abstract record Stale
{
    private Stale()
    {
    }

    /// <summary>The catalogue buyers browse: the shelves, and the pages and products answers made from them.</summary>
    public sealed record Catalogue : Stale;

    /// <summary>What a node may remember about one account: its sign-ins (API keys, a cookie's stamp) and its tier.</summary>
    public sealed record Account(Guid UserId) : Stale;

    /// <summary>One account's number of unread notifications (the badge).</summary>
    public sealed record UnreadCount(Guid UserId) : Stale;

    /// <summary>All of it: this node may have missed what the others told it (its Redis connection came back).</summary>
    public sealed record Everything : Stale;
}

/// <summary>Something this node keeps in memory for a while; told what went stale, it drops what it holds of that.</summary>
public interface INodeCache
{
    void Forget(Stale what);
}

/// <summary>
/// The port through which a committed change reaches every node: this node forgets what went stale, and with several
/// nodes (<c>CardMall:Redis</c>) the others are told to forget it too. Without Redis there are no others to tell.
/// Telling may fail (Redis away): that is logged and never fails the change, which is committed already; the other
/// nodes then see it when their copies reach their age.
/// </summary>
public interface IEveryNode
{
    Task ForgetAsync(Stale what, CancellationToken ct);
}

/// <summary>
/// What a change calls when it makes something stale: this node forgets at once, inside the transaction (so its own
/// next read is fresh), and once the change is committed every node is told (<see cref="IEveryNode"/>). Never before
/// the commit: another node reading again before it would read the old state and keep it for a whole age.
/// </summary>
public sealed class Forgetting(IEnumerable<INodeCache> caches, IEveryNode everyNode, AfterCommit afterCommit)
{
    public void Forget(Stale what)
    {
        foreach (var cache in caches)
            cache.Forget(what);
        afterCommit.Add(ct => everyNode.ForgetAsync(what, ct));
    }
}
