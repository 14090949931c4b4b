using CardMall.Infrastructure.Suppliers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CardMall.TestSupport;

/// <summary>
/// How tests reach the built-in sandbox supplier over real HTTP. The supplier gateway
/// (<c>SandboxSupplierGateway</c>, protocol "sandbox") POSTs to <c>{base}/sandbox-supplier/api/…</c> through
/// its named HttpClient; in WebApplicationFactory's in-memory test server there is no port to post to, so
/// this points that client's primary handler at the test server itself: every request, header and status
/// is real, only the socket is not. With a real Kestrel host (browser tests) it changes nothing and the
/// gateway calls the app's own listening address.
/// <para>
/// <see cref="ShopFactory"/> applies it to every factory already, so a test normally needs nothing: set the
/// sandbox's answer for a key (<c>PUT /api/v1/admin/sandbox-supplier/keys</c> with an operator's API key,
/// body <c>{code, answer, redeemedAt}</c>, answer unused / redeemed / invalid / slow / error) and the gateway
/// gets that answer. Call <see cref="UseSandboxSupplierThroughTestServer"/> yourself only in a host that is
/// not a ShopFactory.
/// </para>
/// <para>
/// Keep slow and failing answers quick with small settings on the factory, for example
/// <c>Settings["CardMall:Verification:SupplierTimeout"] = "00:00:00.300"</c>, <c>…:SupplierRetries</c>,
/// <c>…:RetryDelay</c>, <c>…:BreakAfterFailures</c>, <c>…:BreakFor</c>. The circuit breaker is per supplier
/// and lives as long as the factory (on the pipelines' own clock, real time unless a test registers a
/// keyed <c>TimeProvider</c> under <c>SupplierCircuits.ClockKey</c> — not the TestClock): a test that makes one
/// supplier fail repeatedly opens its circuit for the other tests of the class that use the same supplier,
/// so give such a test a supplier of its own. Count attempts with <see cref="SupplierTraffic"/>, not by time.
/// </para>
/// </summary>
public static class SandboxSupplierWiring
{
    public static IServiceCollection UseSandboxSupplierThroughTestServer(this IServiceCollection services)
    {
        services.AddHttpClient(SandboxSupplierGateway.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<IServer>() is TestServer server
                ? server.CreateHandler()
                : new SocketsHttpHandler());
        return services;
    }
}
