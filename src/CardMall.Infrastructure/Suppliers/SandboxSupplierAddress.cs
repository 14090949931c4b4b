using CardMall.Domain.CardKeys;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CardMall.Infrastructure.Suppliers;

/// <summary>
/// Where a sandbox-protocol supplier is called: its own API base URL, else CardMall:SandboxSupplier:BaseUrl,
/// else this app's own listening address (the built-in sandbox). Never taken from an incoming request's Host
/// header. In the in-memory test server there is no address; the tests route the gateway's HTTP client into
/// the test server instead (CardMall.TestSupport).
/// </summary>
internal sealed class SandboxSupplierAddress(IServiceProvider services, IOptions<SandboxSupplierOptions> options)
{
    public Uri For(Supplier supplier, string path)
    {
        var root = supplier.ApiBaseUrl is { Length: > 0 } own ? own
            : options.Value.BaseUrl is { Length: > 0 } configured ? configured
            : OwnAddress();
        return new Uri(root.TrimEnd('/') + path, UriKind.Absolute);
    }

    private string OwnAddress()
    {
        // IServer is only there in a web host; resolved late so the gateway can be built anywhere.
        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var own = addresses
            .Select(a => new Uri(a.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal)))
            // Port 0 is "any free port" as configured, not an address anybody can call.
            .Where(a => a.Port > 0)
            .OrderBy(a => a.Scheme == Uri.UriSchemeHttp ? 0 : 1)
            .FirstOrDefault();
        if (own is null) return "http://localhost";
        // A wildcard binding (0.0.0.0, [::]) is reached on the loopback address.
        var host = own.Host is "0.0.0.0" or "[::]" or "::" ? "localhost" : own.Host;
        return new UriBuilder(own.Scheme, host, own.Port).Uri.GetLeftPart(UriPartial.Authority);
    }
}
