using CardMall.Application.Abstractions;
using CardMall.Application.Features.Orders;
using CardMall.Application.Features.Wallet;

namespace CardMall.Web.Payments;

/// <summary>Top-ups and orders paid through gateways: the sandbox gateway, its notifications, the watchers and the refunder.</summary>
public static class ShopPayments
{
    public static IServiceCollection AddShopPayments(this IServiceCollection services)
    {
        services.AddOptions<TopUpOptions>().BindConfiguration(TopUpOptions.Section);
        services.AddOptions<OrderPaymentOptions>().BindConfiguration(OrderPaymentOptions.Section);
        services.AddOptions<SandboxOptions>().BindConfiguration(SandboxOptions.Section)
            .PostConfigure<IHostEnvironment>((o, env) => o.Enabled ??= env.IsDevelopment() || env.IsEnvironment("Testing"));

        services.AddSingleton(sp => SandboxSecret.From(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IHostEnvironment>()));
        services.AddSingleton<SandboxNotifyAddress>();
        // Registered even when disabled: payments opened while it was on still settle and expire.
        services.AddSingleton<IPaymentGateway, SandboxGateway>();
        services.AddSingleton<SandboxNotifications>();
        services.AddScoped<SandboxCashier>();
        services.AddHttpClient(SandboxNotifications.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddHostedService<SandboxNotifier>();
        services.AddHostedService<TopUpWatcher>();
        services.AddHostedService<OrderPaymentWatcher>();
        services.AddHostedService<PaymentRefunder>();
        return services;
    }
}
