using System.Collections.Concurrent;
using System.Security.Claims;
using CardMall.Application.Abstractions;

namespace CardMall.Web.Identity;

/// <summary>
/// What this node learnt about signed-in accounts during the last <see cref="DefaultLifetime"/>: API key hash → the
/// owner's claims, and account → the security stamp of a cookie found valid (enabled, stamp unchanged). Only
/// valid sign-ins are remembered, so the sets are bounded by the shop's own accounts, not by what strangers
/// send. Revoking a key, disabling an account or changing its roles forgets the account at once on this node and,
/// once committed, on every node told through Redis (<see cref="Forgetting"/>); a node that was not told notices
/// within the lifetime.
/// </summary>
public sealed class RememberedSignIns : INodeCache
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(2);

    private readonly TimeSpan lifetime;

    public RememberedSignIns()
        : this(DefaultLifetime)
    {
    }

    /// <summary>For tests that must tell "forgotten" from "aged out": a lifetime no test outlasts.</summary>
    internal RememberedSignIns(TimeSpan lifetime) => this.lifetime = lifetime;

    private readonly ConcurrentDictionary<string, KeyEntry> keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, StampEntry> stamps = new();

    // Forget is called inside the changing transaction, before its commit: a sign-in read in the moments
    // after it may still see the old state, so for a lifetime after it the account's sign-ins are not remembered.
    private readonly ConcurrentDictionary<Guid, long> forgottenAt = new();

    public bool TryGet(string keyHash, out IReadOnlyList<Claim> claims)
    {
        if (keys.TryGetValue(keyHash, out var entry))
        {
            if (Fresh(entry.At))
            {
                claims = entry.Claims;
                return true;
            }
            keys.TryRemove(new KeyValuePair<string, KeyEntry>(keyHash, entry));
        }
        claims = [];
        return false;
    }

    public void Remember(string keyHash, Guid userId, IReadOnlyList<Claim> claims)
    {
        if (!RecentlyForgotten(userId))
            keys[keyHash] = new KeyEntry(userId, claims, TimeProvider.System.GetTimestamp());
    }

    /// <summary>Whether this cookie's account was found enabled with this very stamp a moment ago.</summary>
    public bool IsKnownValid(Guid userId, string? stamp)
    {
        if (stamp is null || !stamps.TryGetValue(userId, out var entry))
            return false;
        if (Fresh(entry.At))
            return entry.Stamp == stamp;
        stamps.TryRemove(new KeyValuePair<Guid, StampEntry>(userId, entry));
        return false;
    }

    public void RememberValid(Guid userId, string stamp)
    {
        if (!RecentlyForgotten(userId))
            stamps[userId] = new StampEntry(stamp, TimeProvider.System.GetTimestamp());
    }

    public void Forget(Stale what)
    {
        switch (what)
        {
            case Stale.Account account:
                Forget(account.UserId);
                break;
            case Stale.Everything:
                keys.Clear();
                stamps.Clear();
                break;
        }
    }

    private void Forget(Guid userId)
    {
        forgottenAt[userId] = TimeProvider.System.GetTimestamp();
        stamps.TryRemove(userId, out _);
        foreach (var (hash, entry) in keys)
            if (entry.UserId == userId)
                keys.TryRemove(new KeyValuePair<string, KeyEntry>(hash, entry));
    }

    private bool RecentlyForgotten(Guid userId)
    {
        if (!forgottenAt.TryGetValue(userId, out var at))
            return false;
        if (Fresh(at))
            return true;
        forgottenAt.TryRemove(new KeyValuePair<Guid, long>(userId, at));
        return false;
    }

    private bool Fresh(long at) => TimeProvider.System.GetElapsedTime(at) < lifetime;

    private sealed record KeyEntry(Guid UserId, IReadOnlyList<Claim> Claims, long At);

    private sealed record StampEntry(string Stamp, long At);
}
