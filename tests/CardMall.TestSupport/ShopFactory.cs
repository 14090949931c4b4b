using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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
        foreach (var (key, value) in Settings)
            builder.UseSetting(key, value);
        builder.ConfigureLogging(l => l.AddProvider(Logs));
        builder.ConfigureServices(services =>
        {
            // Supplier calls reach the app's own sandbox supplier, also in the in-memory test server.
            services.UseSandboxSupplierThroughTestServer();
            Configure?.Invoke(services);
        });
    }
}
