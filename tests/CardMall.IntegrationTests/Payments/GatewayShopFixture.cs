using CardMall.TestSupport;
using CardMall.TestSupport.Payments;
using CardMall.Web.Payments;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CardMall.IntegrationTests.Payments;

/// <summary>
/// The shop configured with Alipay and epay pointing at local fakes of the two providers (started first, on random
/// loopback ports), its public address http://localhost so that the fakes' notifications reach the in-memory server,
/// and no background passes: each test runs the watcher and the refunder itself, once.
/// </summary>
public sealed class GatewayShopFixture : ShopFixture
{
    public FakeAlipay Alipay { get; private set; } = null!;
    public FakeEpay Epay { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Alipay = await FakeAlipay.StartAsync();
        Epay = await FakeEpay.StartAsync();
        await base.InitializeAsync();
        Alipay.ShopClient = () => Factory.CreateClient();
        Epay.ShopClient = () => Factory.CreateClient();
    }

    protected override ShopFactory CreateFactory(string connectionString)
    {
        var factory = new ShopFactory(connectionString)
        {
            Configure = services =>
            {
                foreach (var background in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType is { } type
                             && (type == typeof(SandboxNotifier) || type == typeof(TopUpWatcher) || type == typeof(OrderPaymentWatcher) || type == typeof(PaymentRefunder))).ToList())
                    services.Remove(background);
            },
        };
        factory.Settings["CardMall:PublicBaseUrl"] = "http://localhost";
        factory.Settings["CardMall:Payments:Alipay:Enabled"] = "true";
        factory.Settings["CardMall:Payments:Alipay:AppId"] = FakeAlipay.AppId;
        factory.Settings["CardMall:Payments:Alipay:SellerId"] = FakeAlipay.SellerId;
        factory.Settings["CardMall:Payments:Alipay:PrivateKey"] = Alipay.MerchantPrivateKey;
        factory.Settings["CardMall:Payments:Alipay:AlipayPublicKey"] = Alipay.AlipayPublicKey;
        factory.Settings["CardMall:Payments:Alipay:GatewayUrl"] = Alipay.GatewayUrl;
        factory.Settings["CardMall:Payments:Epay:Enabled"] = "true";
        factory.Settings["CardMall:Payments:Epay:BaseUrl"] = Epay.BaseUrl;
        factory.Settings["CardMall:Payments:Epay:Pid"] = FakeEpay.Pid;
        factory.Settings["CardMall:Payments:Epay:Key"] = Epay.Key;
        return factory;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Alipay.DisposeAsync();
        await Epay.DisposeAsync();
    }
}
