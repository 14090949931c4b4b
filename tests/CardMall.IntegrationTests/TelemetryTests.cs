using System.Net;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using CardMall.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CardMall.IntegrationTests;

/// <summary>A shop with an OTLP endpoint configured (nothing listens there: exports fail quietly in the background).</summary>
public sealed class TracedShopFixture : ShopFixture
{
    protected override ShopFactory CreateFactory(string connectionString)
    {
        var factory = new ShopFactory(connectionString);
        factory.Settings[ShopTelemetry.OtlpEndpointSetting] = "http://127.0.0.1:9";
        return factory;
    }
}

/// <summary>OpenTelemetry is set up only when there is somewhere to send it, and the shop works the same either way.</summary>
public sealed class TelemetryTests(TracedShopFixture traced) : IClassFixture<TracedShopFixture>
{
    [Fact]
    public async Task With_an_otlp_endpoint_traces_and_metrics_are_collected_and_pages_and_the_api_answer_as_before()
    {
        Assert.NotNull(traced.Factory.Services.GetService<TracerProvider>());
        Assert.NotNull(traced.Factory.Services.GetService<MeterProvider>());

        var home = await traced.Factory.CreateClient().GetAsync("/");
        var products = await traced.Factory.CreateClient().GetAsync("/api/v1/products");

        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.NotEqual(HttpStatusCode.InternalServerError, products.StatusCode);
    }
}

/// <summary>Without an endpoint nothing is registered: no listener asks for spans, so requests build none.</summary>
public sealed class UntracedShopTests(ShopFixture shop) : IClassFixture<ShopFixture>
{
    [Fact]
    public void Without_an_otlp_endpoint_no_tracer_or_meter_provider_is_registered()
    {
        Assert.Null(shop.Factory.Services.GetService<TracerProvider>());
        Assert.Null(shop.Factory.Services.GetService<MeterProvider>());
    }
}
