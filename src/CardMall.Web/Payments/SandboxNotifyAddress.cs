using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace CardMall.Web.Payments;

/// <summary>
/// Where the sandbox posts its notifications: CardMall:Sandbox:NotifyUrl, or else this app's own
/// listening address. Never taken from the incoming request's Host header, so nobody can point the
/// sandbox's signed messages at a server of their choosing.
/// </summary>
public sealed class SandboxNotifyAddress(IServer server, IOptions<SandboxOptions> options)
{
    public const string Path = "/payments/sandbox/notify";

    public string NotifyUrl()
    {
        if (options.Value.NotifyUrl is { Length: > 0 } configured) return configured;
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var own = addresses.Select(a => new Uri(a.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal)))
            .OrderBy(a => a.Scheme == Uri.UriSchemeHttp ? 0 : 1)
            .FirstOrDefault();
        if (own is null) return "http://localhost" + Path;
        // A wildcard binding (0.0.0.0, [::]) is reached on the loopback address.
        var host = own.Host is "0.0.0.0" or "[::]" or "::" ? "localhost" : own.Host;
        return new UriBuilder(own.Scheme, host, own.Port, Path).Uri.ToString();
    }
}
