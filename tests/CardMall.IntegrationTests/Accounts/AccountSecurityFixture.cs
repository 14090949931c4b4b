using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CardMall.IntegrationTests.Accounts;

/// <summary>
/// A shop as it runs in production on the points these tests are about: staff need two-factor sign-in, one
/// proxy (10.9.8.7) is trusted, e-mails go to a pickup directory when a test dispatches them. Limits stay high
/// here; <see cref="WithSettings"/> starts a second node on the same database with other settings.
/// </summary>
public sealed class AccountSecurityFixture : ShopFixture
{
    public const string TrustedProxy = "10.9.8.7";

    public string PickupDirectory { get; } = Path.Combine(Path.GetTempPath(), "cardmall-mail-" + Guid.NewGuid().ToString("N"));

    protected override ShopFactory CreateFactory(string connectionString) => WithSettings(connectionString, new Dictionary<string, string?>());

    public ShopFactory WithSettings(IDictionary<string, string?> settings) => WithSettings(Database.ConnectionString, settings);

    private ShopFactory WithSettings(string connectionString, IDictionary<string, string?> settings)
    {
        var factory = new ShopFactory(connectionString) { Configure = s => s.AddTransient<IStartupFilter, PeerAddress>() };
        factory.Settings["CardMall:SignIn:RequireStaffTwoFactor"] = "true";
        factory.Settings["CardMall:Proxy:KnownProxies:0"] = TrustedProxy;
        factory.Settings["CardMall:Mail:PickupDirectory"] = PickupDirectory;
        factory.Settings["CardMall:Mail:DispatchEnabled"] = "false";
        factory.Settings["CardMall:PublicBaseUrl"] = "https://shop.example.test";
        foreach (var (key, value) in settings) factory.Settings[key] = value;
        return factory;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(PickupDirectory)) Directory.Delete(PickupDirectory, recursive: true);
    }
}

public static class WebSessionAddress
{
    /// <summary>Every request of this session comes from <paramref name="address"/> (see <see cref="PeerAddress"/>).</summary>
    public static WebSession From(this WebSession web, string address)
    {
        web.Client.DefaultRequestHeaders.Remove(PeerAddress.Header);
        web.Client.DefaultRequestHeaders.Add(PeerAddress.Header, address);
        return web;
    }
}
