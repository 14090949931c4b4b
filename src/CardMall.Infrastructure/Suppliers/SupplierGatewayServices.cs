using CardMall.Application.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CardMall.Infrastructure.Suppliers;

/// <summary>The supplier gateways (one per protocol), their per-supplier circuits, the call log and the sandbox supplier's answer book.</summary>
public static class SupplierGatewayServices
{
    public static IServiceCollection AddSupplierGateways(this IServiceCollection services)
    {
        services.AddOptions<SandboxSupplierOptions>().BindConfiguration(SandboxSupplierOptions.Section)
            .PostConfigure<IHostEnvironment>((o, env) => o.Enabled ??= env.IsDevelopment() || env.IsEnvironment("Testing"));
        services.AddScoped<ISandboxSupplier, SandboxSupplierBook>();

        services.AddKeyedSingleton(SupplierCircuits.ClockKey, TimeProvider.System);
        services.AddSingleton<SupplierCircuits>();
        services.AddSingleton<SupplierCallLog>();
        services.AddSingleton<SandboxSupplierAddress>();
        services.AddSingleton<ISupplierGateway, SandboxSupplierGateway>();
        services.AddHttpClient(SandboxSupplierGateway.HttpClientName, c =>
            {
                // Polly times each attempt (SupplierTimeout); the client's own timeout would only get in the way.
                c.Timeout = Timeout.InfiniteTimeSpan;
                // An answer is a few dozen bytes; a supplier cannot make us buffer megabytes.
                c.MaxResponseContentBufferSize = 64 * 1024;
            })
            // The default handlers log URLs and headers; nothing about a supplier call is logged but our own line.
            .RemoveAllLoggers();
        return services;
    }
}
