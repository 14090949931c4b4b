using System.Security.Cryptography;

namespace CardMall.Web.Payments;

/// <summary>
/// The sandbox's notification signature: <c>X-Sandbox-Signature: sha256=&lt;hex HMAC-SHA256 of the raw body&gt;</c>.
/// Checked over the bytes as received (never a re-serialised body) and compared in constant time.
/// </summary>
public static class SandboxSignature
{
    public const string Header = "X-Sandbox-Signature";
    private const string Prefix = "sha256=";

    public static string Sign(byte[] key, ReadOnlySpan<byte> body) => Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(key, body));

    public static bool IsValid(byte[] key, string? header, ReadOnlySpan<byte> body)
    {
        if (header is null || !header.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var hex = header.AsSpan(Prefix.Length);
        if (hex.Length != HMACSHA256.HashSizeInBytes * 2) return false;
        Span<byte> given = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (Convert.FromHexString(hex, given, out _, out var written) != System.Buffers.OperationStatus.Done || written != given.Length)
            return false;
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, body, expected);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
