using System.Security.Cryptography;
using System.Text;

namespace CardMall.Web.Payments;

/// <summary>
/// The key the sandbox signs its notifications with and the shop checks them with. From
/// CardMall:Sandbox:PaymentSecret when set (at least 16 characters); in Development otherwise generated
/// once and kept in {DataDirectory}/sandbox-payment-secret, so restarts and several local nodes agree;
/// elsewhere (tests) a random key for this process.
/// </summary>
public sealed class SandboxSecret(byte[] key)
{
    private const int MinLength = 16;

    public byte[] Key { get; } = key;

    public override string ToString() => "SandboxSecret(****)";

    public static SandboxSecret From(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration[SandboxOptions.Section + ":PaymentSecret"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (configured.Length < MinLength)
                throw new InvalidOperationException($"CardMall:Sandbox:PaymentSecret must be at least {MinLength} characters.");
            return new SandboxSecret(Encoding.UTF8.GetBytes(configured));
        }
        if (!environment.IsDevelopment())
            return new SandboxSecret(RandomNumberGenerator.GetBytes(32));

        var directory = Infrastructure.DependencyInjection.DataDirectory(configuration, environment);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "sandbox-payment-secret");
        if (!File.Exists(path))
        {
            // Created exclusively: two nodes starting at once must not write two different secrets.
            try
            {
                using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
                stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
            }
            catch (IOException) when (File.Exists(path))
            {
            }
        }
        return new SandboxSecret(Encoding.UTF8.GetBytes(File.ReadAllText(path).Trim()));
    }
}
