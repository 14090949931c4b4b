using System.Security.Cryptography;
using System.Text;
using CardMall.Application.Abstractions;
using CardMall.Domain.CardKeys;

namespace CardMall.Infrastructure.CardKeys;

/// <summary>
/// AES-256-GCM with a random 96-bit nonce per value; stored as nonce ‖ ciphertext ‖ tag. The
/// associated data binds a ciphertext to its key's fingerprint and field, so ciphertexts cannot be
/// swapped between rows or between code and secret. Old master key versions stay readable; new
/// values are sealed under the current one (rotation: docs/decisions/0009-card-key-encryption.md).
/// </summary>
public sealed class CardKeyVault(CardKeyRing ring) : ICardKeyVault
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] SupplierSecretLabel = "supplier-secret"u8.ToArray();

    public int CurrentVersion => ring.CurrentVersion;

    public byte[] Fingerprint(string code)
    {
        var normalized = ICardKeyVault.Normalize(code);
        return HMACSHA256.HashData(ring.LookupKey, Encoding.UTF8.GetBytes(normalized));
    }

    public SealedCardKey Seal(string code, string? secret, byte[] fingerprint)
    {
        var version = ring.CurrentVersion;
        var key = ring.MasterKey(version);
        return new SealedCardKey(
            Encrypt(key, Encoding.UTF8.GetBytes(code.Trim()), Aad(fingerprint, "code")),
            secret is null ? null : Encrypt(key, Encoding.UTF8.GetBytes(secret.Trim()), Aad(fingerprint, "secret")),
            version);
    }

    public OpenedCardKey Open(CardKey cardKey)
    {
        var key = ring.MasterKey(cardKey.KeyVersion);
        var code = Encoding.UTF8.GetString(Decrypt(key, cardKey.CodeCipher, Aad(cardKey.CodeHash, "code")));
        var secret = cardKey.SecretCipher is null ? null : Encoding.UTF8.GetString(Decrypt(key, cardKey.SecretCipher, Aad(cardKey.CodeHash, "secret")));
        return new OpenedCardKey(code, secret);
    }

    public byte[] SealSecret(string value)
    {
        var version = ring.CurrentVersion;
        var sealedValue = Encrypt(ring.MasterKey(version), Encoding.UTF8.GetBytes(value), SupplierSecretLabel);
        // Secrets carry their key version in front, since they have no column for it.
        return [(byte)version, .. sealedValue];
    }

    public string OpenSecret(byte[] sealedValue) =>
        Encoding.UTF8.GetString(Decrypt(ring.MasterKey(sealedValue[0]), sealedValue[1..], SupplierSecretLabel));

    private static byte[] Aad(byte[] fingerprint, string field) => [.. fingerprint, .. Encoding.ASCII.GetBytes(field)];

    private static byte[] Encrypt(byte[] key, byte[] plain, byte[] aad)
    {
        var output = new byte[NonceSize + plain.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceSize, plain.Length), output.AsSpan(NonceSize + plain.Length), aad);
        return output;
    }

    private static byte[] Decrypt(byte[] key, byte[] sealedValue, byte[] aad)
    {
        if (sealedValue.Length < NonceSize + TagSize)
            throw new CryptographicException("Sealed value too short.");
        var plainLength = sealedValue.Length - NonceSize - TagSize;
        var plain = new byte[plainLength];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(sealedValue.AsSpan(0, NonceSize), sealedValue.AsSpan(NonceSize, plainLength), sealedValue.AsSpan(NonceSize + plainLength), plain, aad);
        return plain;
    }
}
