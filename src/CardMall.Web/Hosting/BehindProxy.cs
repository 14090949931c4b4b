using System.Net;
using Microsoft.AspNetCore.CookiePolicy;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.HttpsPolicy;

namespace CardMall.Web.Hosting;

/// <summary>
/// The shop behind a TLS-terminating proxy (the normal deployment, docs/operations.md): the client's address
/// and scheme are taken from X-Forwarded-For / X-Forwarded-Proto only when the request comes from a proxy
/// named in CardMall:Proxy (KnownProxies, KnownNetworks; loopback when none is named); every cookie is
/// Secure and at least SameSite=Lax; HSTS and the redirect to HTTPS are settings of CardMall:Https.
/// </summary>
public static class BehindProxy
{
    public static IServiceCollection AddBehindProxy(this IServiceCollection services, IWebHostEnvironment environment)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IConfiguration>((o, configuration) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            var section = configuration.GetSection("CardMall:Proxy");
            o.ForwardLimit = section.GetValue<int?>("ForwardLimit") ?? 1;
            var proxies = section.GetSection("KnownProxies").Get<string[]>() ?? [];
            var networks = section.GetSection("KnownNetworks").Get<string[]>() ?? [];
            // Named proxies replace the framework's default (loopback only); nothing named keeps it.
            if (proxies.Length + networks.Length == 0) return;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
                o.KnownProxies.Add(IPAddress.TryParse(proxy.Trim(), out var address) ? address
                    : throw new InvalidOperationException($"CardMall:Proxy:KnownProxies has '{proxy}', which is not an IP address."));
            foreach (var network in networks)
                o.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network.Trim(), out var parsed) ? parsed
                    : throw new InvalidOperationException($"CardMall:Proxy:KnownNetworks has '{network}', which is not a network such as 10.0.0.0/8."));
        });

        services.AddOptions<CookiePolicyOptions>().Configure<IConfiguration>((o, configuration) =>
        {
            // Plain HTTP is only for Development (run.sh) and the test hosts, which switch it off by setting.
            var secure = configuration.GetValue<bool?>("CardMall:Https:SecureCookies") ?? !environment.IsDevelopment();
            o.Secure = secure ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            o.MinimumSameSitePolicy = SameSiteMode.Lax;
            o.HttpOnly = HttpOnlyPolicy.None;
        });

        services.AddOptions<HstsOptions>().Configure<IConfiguration>((o, configuration) =>
            o.MaxAge = TimeSpan.FromDays(configuration.GetValue<int?>("CardMall:Https:HstsMaxAgeDays") ?? 365));
        services.AddOptions<HttpsRedirectionOptions>().Configure<IConfiguration>((o, configuration) =>
            o.HttpsPort = configuration.GetValue<int?>("CardMall:Https:Port") ?? 443);
        return services;
    }

    /// <summary>First in the pipeline, so that everything after it (logs, audit records, limits) sees the client.</summary>
    public static WebApplication UseForwardedClient(this WebApplication app)
    {
        app.UseForwardedHeaders();
        return app;
    }

    /// <summary>HSTS (default on outside Development) and the HTTP→HTTPS redirect (default off: the proxy usually does it).</summary>
    public static WebApplication UseHttpsRules(this WebApplication app)
    {
        var https = app.Configuration.GetSection("CardMall:Https");
        if (https.GetValue<bool?>("Hsts") ?? !app.Environment.IsDevelopment())
            app.UseHsts();
        if (https.GetValue<bool?>("RedirectHttp") ?? false)
            app.UseHttpsRedirection();
        app.UseCookiePolicy();
        return app;
    }
}
