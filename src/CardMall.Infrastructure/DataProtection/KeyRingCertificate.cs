using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;

namespace CardMall.Infrastructure.DataProtection;

/// <summary>
/// The certificate that seals the Data Protection keys before they are stored in PostgreSQL, so a dump of
/// the database alone cannot forge a sign-in cookie. From CardMall:DataProtection:CertificatePath (a PFX
/// with its private key) and CertificatePassword. With none configured and
/// CardMall:DataProtection:GenerateDevelopmentCertificate true (Development), one is generated once and
/// kept in {DataDirectory}/data-protection.pfx so restarts can still open the keys.
/// </summary>
public sealed class KeyRingCertificate
{
    private KeyRingCertificate(X509Certificate2 certificate) => Certificate = certificate;

    public X509Certificate2 Certificate { get; }

    public static KeyRingCertificate FromConfiguration(IConfiguration configuration, string dataDirectory)
    {
        var section = configuration.GetSection("CardMall:DataProtection");
        if (section["CertificatePath"] is { Length: > 0 } path)
            return new KeyRingCertificate(Load(path, section["CertificatePassword"]));
        if (!section.GetValue<bool>("GenerateDevelopmentCertificate"))
            throw new InvalidOperationException(
                "Data Protection keys would be stored unencrypted: set CardMall:DataProtection:CertificatePath to a PFX file " +
                "with a private key (RSA, 2048 bits or more) and CardMall:DataProtection:CertificatePassword.");
        Directory.CreateDirectory(dataDirectory);
        var generated = Path.Combine(dataDirectory, "data-protection.pfx");
        if (!File.Exists(generated)) File.WriteAllBytes(generated, Generate("CardMall development key ring"));
        return new KeyRingCertificate(Load(generated, null));
    }

    /// <summary>A self-signed RSA certificate as PFX bytes (no password): for Development and tests.</summary>
    public static byte[] Generate(string subject)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN={subject}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(20));
        return certificate.Export(X509ContentType.Pfx);
    }

    private static X509Certificate2 Load(string path, string? password)
    {
        if (!File.Exists(path))
            throw new InvalidOperationException($"The Data Protection certificate {path} (CardMall:DataProtection:CertificatePath) does not exist.");
        // Ephemeral: the private key stays in memory, nothing is written to the user's key store.
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
        if (certificate.GetRSAPublicKey() is null || !certificate.HasPrivateKey)
            throw new InvalidOperationException($"The Data Protection certificate {path} needs an RSA key and its private key.");
        return certificate;
    }
}
