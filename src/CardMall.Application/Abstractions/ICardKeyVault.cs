using CardMall.Domain.CardKeys;

namespace CardMall.Application.Abstractions;

/// <summary>
/// Encrypts card keys and supplier secrets (AES-GCM under versioned master keys) and fingerprints codes
/// (HMAC-SHA256 of the normalised code) so a key can be found and a duplicate refused without ever
/// storing or comparing the plain code.
/// </summary>
public interface ICardKeyVault
{
    int CurrentVersion { get; }

    byte[] Fingerprint(string code);

    SealedCardKey Seal(string code, string? secret, byte[] fingerprint);

    OpenedCardKey Open(CardKey cardKey);

    byte[] SealSecret(string value);

    string OpenSecret(byte[] sealedValue);

    /// <summary>The form a code is compared in: no surrounding or inner spaces, no dashes, upper case.</summary>
    static string Normalize(string code) =>
        string.Concat(code.Where(c => !char.IsWhiteSpace(c) && c != '-')).ToUpperInvariant();
}

public sealed record SealedCardKey(byte[] CodeCipher, byte[]? SecretCipher, int KeyVersion);

/// <summary>A decrypted key. Never log it, never put it in an exception message or a URL.</summary>
public sealed record OpenedCardKey(string Code, string? Secret)
{
    public override string ToString() => "OpenedCardKey(****)";
}
