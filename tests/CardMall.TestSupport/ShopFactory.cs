using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CardMall.TestSupport;

/// <summary>
/// The real application against a test database, in the "Testing" environment (so errors look as
/// they would in production: no stack traces). Tests add services through <see cref="Configure"/>.
/// </summary>
/// <summary>Card-key encryption keys for this test run: random, never written anywhere.</summary>
public static class TestKeys
{
    public static readonly string Lookup = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    public static readonly string Master = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>The certificate that seals Data Protection keys in this run: generated once, in a temporary file.</summary>
    public static readonly string KeyRingCertificatePath = WriteKeyRingCertificate();

    private static string WriteKeyRingCertificate()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cardmall-test-keyring-{Environment.ProcessId}-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, CardMall.Infrastructure.DataProtection.KeyRingCertificate.Generate("CardMall test key ring"));
        return path;
    }
}

public class ShopFactory(string connectionString) : WebApplicationFactory<Program>
{
    public LogCapture Logs { get; } = new();

    public Action<IServiceCollection>? Configure { get; init; }

    public Dictionary<string, string?> Settings { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:CardMall", connectionString);
        builder.UseSetting("CardMall:CardKeys:LookupKey", TestKeys.Lookup);
        builder.UseSetting("CardMall:CardKeys:MasterKeys:1", TestKeys.Master);
        // Tests read what they just wrote: the catalogue's caches are off unless a test sets them (Settings win).
        builder.UseSetting("CardMall:Catalogue:StockMaxAge", "00:00:00");
        builder.UseSetting("CardMall:Catalogue:ShelvesMaxAge", "00:00:00");
        builder.UseSetting("CardMall:Catalogue:PageCacheDuration", "00:00:00");
        builder.UseSetting("CardMall:Catalogue:AccountMaxAge", "00:00:00");
        builder.UseSetting("CardMall:DataProtection:CertificatePath", TestKeys.KeyRingCertificatePath);
        // Tests talk plain HTTP and sign staff in with a password; the tests of these rules switch them back on.
        builder.UseSetting("CardMall:Https:SecureCookies", "false");
        builder.UseSetting("CardMall:SignIn:RequireStaffTwoFactor", "false");
        // Whole test classes sign in from one address within a minute; the limits' own tests set them low.
        builder.UseSetting("CardMall:SignIn:AttemptsPerAddressPerMinute", "10000");
        builder.UseSetting("CardMall:SignIn:AttemptsPerAccountPerMinute", "10000");
        builder.UseSetting("CardMall:SignIn:RegistrationsPerAddressPerHour", "10000");
        // What the tests read from the log: Information and up from every source (Settings may lower it).
        foreach (var (key, value) in LogCapture.Everything(Serilog.Events.LogEventLevel.Information))
            builder.UseSetting(key, value);
        foreach (var (key, value) in Settings)
            builder.UseSetting(key, value);
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<Serilog.Core.ILogEventSink>(Logs);
            // Supplier calls reach the app's own sandbox supplier, also in the in-memory test server.
            services.UseSandboxSupplierThroughTestServer();
            Configure?.Invoke(services);
        });
    }
}
