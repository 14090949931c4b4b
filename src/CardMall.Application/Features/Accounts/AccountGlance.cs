using System.Collections.Concurrent;
using CardMall.Application.Abstractions;
using CardMall.Application.Features.Catalog;
using CardMall.Domain.Accounts;
using Microsoft.Extensions.Options;

namespace CardMall.Application.Features.Accounts;

/// <summary>
/// What every page shows a signed-in buyer about their own account — their tier (the prices) and the number of
/// unread notifications (the badge) — kept per account for <see cref="CatalogueOptions.AccountMaxAge"/>, so a buyer
/// clicking through the shop does not cost two reads of the account per page. One node's memory; what changes
/// either forgets it at once, on every node (<see cref="Forgetting"/>).
/// </summary>
public abstract class AccountGlance<T>(IOptions<CatalogueOptions> options) : INodeCache
{
    // A sweep of stale entries when the map grows past this: it holds the accounts seen in the last moments.
    private const int SweepAbove = 10_000;

    private readonly ConcurrentDictionary<Guid, (T Value, long At)> seen = new();

    public async Task<T> GetAsync(Guid userId, Func<Task<T>> read)
    {
        var maxAge = options.Value.AccountMaxAge;
        if (maxAge > TimeSpan.Zero && seen.TryGetValue(userId, out var entry) && TimeProvider.System.GetElapsedTime(entry.At) < maxAge)
            return entry.Value;
        var at = TimeProvider.System.GetTimestamp();
        var value = await read();
        if (maxAge > TimeSpan.Zero)
        {
            seen[userId] = (value, at);
            if (seen.Count > SweepAbove)
                foreach (var (id, old) in seen)
                    if (TimeProvider.System.GetElapsedTime(old.At) >= maxAge)
                        seen.TryRemove(new KeyValuePair<Guid, (T, long)>(id, old));
        }
        return value;
    }

    public void Forget(Stale what)
    {
        if (what is Stale.Everything)
            seen.Clear();
        else if (Concerns(what) is { } userId)
            seen.TryRemove(userId, out _);
    }

    /// <summary>The account whose glance <paramref name="what"/> makes stale, if any.</summary>
    protected abstract Guid? Concerns(Stale what);
}

/// <summary>A signed-in buyer's tier, for the prices on catalogue pages.</summary>
public sealed class BuyerTiers(IOptions<CatalogueOptions> options) : AccountGlance<MemberTier>(options)
{
    protected override Guid? Concerns(Stale what) => (what as Stale.Account)?.UserId;
}

/// <summary>A signed-in account's unread notifications, for the badge in every page's header.</summary>
public sealed class UnreadCounts(IOptions<CatalogueOptions> options) : AccountGlance<int>(options)
{
    protected override Guid? Concerns(Stale what) => what switch
    {
        Stale.UnreadCount c => c.UserId,
        Stale.Account a => a.UserId,
        _ => null,
    };
}
