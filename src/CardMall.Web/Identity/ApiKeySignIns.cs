using System.Collections.Concurrent;
using System.Security.Claims;
using CardMall.Application.Abstractions;

namespace CardMall.Web.Identity;

/// <summary>
/// The API keys this node signed in during the last <see cref="Lifetime"/>: key hash → the owner's claims.
/// Only keys that were valid are remembered, so the set is bounded by the shop's own keys, not by what
/// strangers send. Revoking a key or changing its owner forgets the owner's entries at once on this node;
/// another node notices within <see cref="Lifetime"/>.
/// </summary>
public sealed class ApiKeySignIns : IApiKeySignIns
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    // Forget() is called inside the changing transaction, before its commit: a sign-in read in the moments
    // after it may still see the old state, so for a lifetime after it the owner's sign-ins are not remembered.
    private readonly ConcurrentDictionary<Guid, long> forgottenAt = new();

    public bool TryGet(string keyHash, out IReadOnlyList<Claim> claims)
    {
        if (entries.TryGetValue(keyHash, out var entry))
        {
            if (TimeProvider.System.GetElapsedTime(entry.SignedInAt) < Lifetime)
            {
                claims = entry.Claims;
                return true;
            }
            entries.TryRemove(new KeyValuePair<string, Entry>(keyHash, entry));
        }
        claims = [];
        return false;
    }

    public void Remember(string keyHash, Guid userId, IReadOnlyList<Claim> claims)
    {
        if (forgottenAt.TryGetValue(userId, out var at))
        {
            if (TimeProvider.System.GetElapsedTime(at) < Lifetime) return;
            forgottenAt.TryRemove(new KeyValuePair<Guid, long>(userId, at));
        }
        entries[keyHash] = new Entry(userId, claims, TimeProvider.System.GetTimestamp());
    }

    public void Forget(Guid userId)
    {
        forgottenAt[userId] = TimeProvider.System.GetTimestamp();
        foreach (var (hash, entry) in entries)
            if (entry.UserId == userId)
                entries.TryRemove(new KeyValuePair<string, Entry>(hash, entry));
    }

    private sealed record Entry(Guid UserId, IReadOnlyList<Claim> Claims, long SignedInAt);
}
