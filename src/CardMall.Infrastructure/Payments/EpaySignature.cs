using System.Security.Cryptography;
using System.Text;

namespace CardMall.Infrastructure.Payments;

/// <summary>
/// The epay (彩虹易支付) signature: lowercase hex MD5 of the <see cref="SignedParameters"/> text (without
/// <c>sign</c> and <c>sign_type</c>) followed directly by the merchant key, all UTF-8.
/// </summary>
public static class EpaySignature
{
    public static readonly string[] Excluded = ["sign", "sign_type"];

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5351:Do Not Use Broken Cryptographic Algorithms",
        Justification = "MD5 is what the epay protocol signs with; the shop cannot choose another. The key stays secret and the comparison is constant-time.")]
    public static string Sign(IEnumerable<KeyValuePair<string, string>> parameters, string key) =>
        Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(SignedParameters.Text(parameters, Excluded) + key)));

    /// <summary>Compared in constant time, so the answer's timing tells nothing about how much of a forged signature was right.</summary>
    public static bool IsValid(IReadOnlyDictionary<string, string> parameters, string key)
    {
        if (!parameters.TryGetValue("sign", out var given) || given.Length != 32) return false;
        var expected = Encoding.ASCII.GetBytes(Sign(parameters, key));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(given.ToLowerInvariant()));
    }
}
