using System.Security.Cryptography;
using System.Text;

namespace CardMall.Infrastructure.Payments;

/// <summary>
/// Alipay's RSA2 signature: SHA256withRSA (PKCS#1 v1.5) over the UTF-8 bytes of a signing text, base64-encoded.
/// Requests sign <see cref="SignedParameters"/> without <c>sign</c>; notifications are verified without <c>sign</c>
/// and <c>sign_type</c>; API answers are verified over the raw JSON text of their <c>*_response</c> node.
/// </summary>
public static class AlipaySignature
{
    public static string Sign(string text, RSA privateKey) =>
        Convert.ToBase64String(privateKey.SignData(Encoding.UTF8.GetBytes(text), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    public static bool Verify(string text, string? signature, RSA publicKey)
    {
        if (string.IsNullOrEmpty(signature)) return false;
        var bytes = new byte[signature.Length];
        if (!Convert.TryFromBase64String(signature, bytes, out var length)) return false;
        return publicKey.VerifyData(Encoding.UTF8.GetBytes(text), bytes.AsSpan(0, length), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    /// <summary>A merchant private key as Alipay's key tool writes it: PEM, or bare base64 of PKCS#8 or PKCS#1.</summary>
    public static RSA PrivateKey(string text) =>
        Import(text, (rsa, der) => rsa.ImportPkcs8PrivateKey(der, out _), (rsa, der) => rsa.ImportRSAPrivateKey(der, out _));

    /// <summary>Alipay's public key as the open platform shows it: PEM, or bare base64 of the X.509 SubjectPublicKeyInfo (or PKCS#1).</summary>
    public static RSA PublicKey(string text) =>
        Import(text, (rsa, der) => rsa.ImportSubjectPublicKeyInfo(der, out _), (rsa, der) => rsa.ImportRSAPublicKey(der, out _));

    /// <summary>PEM says what it holds; bare base64 does not, so the usual form is tried first, then the older one.</summary>
    private static RSA Import(string text, Action<RSA, byte[]> usual, Action<RSA, byte[]> older)
    {
        var rsa = RSA.Create();
        if (text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            rsa.ImportFromPem(text);
            return rsa;
        }
        var der = Convert.FromBase64String(string.Concat(text.Where(c => !char.IsWhiteSpace(c))));
        try
        {
            usual(rsa, der);
        }
        catch (CryptographicException)
        {
            older(rsa, der);
        }
        return rsa;
    }
}
