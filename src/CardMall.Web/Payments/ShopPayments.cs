using CardMall.Application.Abstractions;
using CardMall.Application.Features.Orders;
using CardMall.Application.Features.Wallet;
using CardMall.Infrastructure.Payments;
using CardMall.Web.Notifications;

namespace CardMall.Web.Payments;

/// <summary>Top-ups and orders paid through gateways: the sandbox, Alipay and epay gateways, the sandbox's notifications, the watchers and the refunder.</summary>
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
        services.AddRealGateways();
        services.AddHostedService<TopUpWatcher>();
        services.AddHostedService<OrderPaymentWatcher>();
        services.AddHostedService<PaymentRefunder>();
        return services;
    }

    /// <summary>
    /// Alipay and epay: always registered (payments started while one was enabled still settle and are paid back),
    /// taking new payments only when enabled and configured; a switched-on gateway with a broken configuration
    /// stops the start instead of failing on the first buyer.
    /// </summary>
    private static void AddRealGateways(this IServiceCollection services)
    {
        services.AddSingleton(sp => new PaymentAddresses(
            sp.GetRequiredService<IConfiguration>()["CardMall:PublicBaseUrl"] is { Length: > 0 } url ? url : EmailDispatcher.DefaultPublicBaseUrl));
        services.AddOptions<AlipayOptions>().BindConfiguration(AlipayOptions.Section)
            .Validate(o => !o.Enabled || o.IsConfigured, "CardMall:Payments:Alipay is enabled but AppId, PrivateKey, AlipayPublicKey or GatewayUrl is missing")
            .Validate(o => !o.Enabled || o.KeyProblem() is null, "CardMall:Payments:Alipay: PrivateKey or AlipayPublicKey is not an RSA key in PEM or base64")
            .ValidateOnStart();
        services.AddOptions<EpayOptions>().BindConfiguration(EpayOptions.Section)
            .Validate(o => !o.Enabled || o.IsConfigured, "CardMall:Payments:Epay is enabled but BaseUrl, Pid, Key or PayType is missing")
            .ValidateOnStart();
        services.AddSingleton<IPaymentGateway, AlipayGateway>();
        services.AddSingleton<IPaymentGateway, EpayGateway>();
        services.AddHttpClient(AlipayGateway.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(15));
        services.AddHttpClient(EpayGateway.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(15));
    }
}
