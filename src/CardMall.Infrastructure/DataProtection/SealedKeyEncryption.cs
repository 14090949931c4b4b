using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CardMall.Infrastructure.DataProtection;

/// <summary>
/// Seals each new Data Protection key with the key-ring certificate (XML Encryption, RSA-OAEP + AES-256, the
/// framework's own CertificateXmlEncryptor) before DbXmlRepository stores it. The framework's
/// ProtectKeysWithCertificate needs the certificate while services are registered, before a test host's
/// settings are visible; this pair reads it from the container when first used instead.
/// </summary>
internal sealed class SealedKeyEncryptor(KeyRingCertificate certificate, ILoggerFactory loggers) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var sealedKey = new CertificateXmlEncryptor(certificate.Certificate, loggers).Encrypt(plaintextElement);
        return new EncryptedXmlInfo(sealedKey.EncryptedElement, typeof(SealedKeyDecryptor));
    }
}

/// <summary>Opens a sealed key with the key-ring certificate's private key (created by the framework, by type name).</summary>
internal sealed class SealedKeyDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var certificate = services.GetRequiredService<KeyRingCertificate>().Certificate;
        // EncryptedXml cannot decrypt a document's root element, hence the wrapper (as the framework does).
        var document = new XmlDocument();
        document.Load(new XElement("root", encryptedElement).CreateReader());
        new WithPrivateKey(document, certificate).DecryptDocument();
        return XElement.Load(document.DocumentElement!.FirstChild!.CreateNavigator()!.ReadSubtree());
    }

    private sealed class WithPrivateKey(XmlDocument document, X509Certificate2 certificate)
        : EncryptedXml(document)
    {
        public override byte[]? DecryptEncryptedKey(EncryptedKey encryptedKey)
        {
            var sealedFor = encryptedKey.KeyInfo.OfType<KeyInfoX509Data>().SelectMany(d => d.Certificates?.OfType<X509Certificate2>() ?? [])
                .FirstOrDefault();
            if (sealedFor is not null && sealedFor.Thumbprint != certificate.Thumbprint)
                throw new InvalidOperationException(
                    $"A Data Protection key is sealed with certificate {sealedFor.Thumbprint}, not with the configured {certificate.Thumbprint}.");
            using var rsa = certificate.GetRSAPrivateKey()!;
            var oaep = encryptedKey.EncryptionMethod?.KeyAlgorithm == XmlEncRSAOAEPUrl;
            return DecryptKey(encryptedKey.CipherData.CipherValue!, rsa, oaep);
        }
    }
}
