using System.Security.Cryptography;
using System.Text;

namespace CardMall.Domain.Accounts;

/// <summary>
/// A key a user creates to call the JSON API as themselves. Only a SHA-256 hash of the key is kept:
/// the key itself is shown once, at creation. Keys are 256 random bits, so a plain hash is enough
/// (no salt or slow hash needed: there is nothing to guess).
/// </summary>
public sealed class ApiKey
{
    public const string Prefix = "cm_";

    private ApiKey() { }

    public Guid Id { get; private set; }
    public Guid UserId { get; private set; }
    public string Name { get; private set; } = "";
    /// <summary>The first characters of the key, shown in lists so a user can tell keys apart.</summary>
    public string Hint { get; private set; } = "";
    public string KeyHash { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? LastUsedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    public bool IsActive => RevokedAt is null;

    /// <summary>Creates a key; returns the entity to store and the plain key to show once.</summary>
    public static (ApiKey Key, string PlainKey) Issue(Guid userId, string name, DateTimeOffset now)
    {
        var plain = Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        return (FromPlain(userId, name, plain, now), plain);
    }

    /// <summary>Stores a key chosen elsewhere (the demo admin key from configuration).</summary>
    public static ApiKey FromPlain(Guid userId, string name, string plainKey, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid(),
        UserId = userId,
        Name = name,
        // Enough to tell keys apart, never enough to matter: a short chosen key shows only its prefix.
        Hint = plainKey.Length >= 32 ? plainKey[..10] : plainKey[..Math.Min(3, plainKey.Length)],
        KeyHash = Hash(plainKey),
        CreatedAt = now,
    };

    public static string Hash(string plainKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(plainKey)));

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;

    public void MarkUsed(DateTimeOffset now) => LastUsedAt = now;

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
