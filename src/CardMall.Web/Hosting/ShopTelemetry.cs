using CardMall.Application.Telemetry;
using Microsoft.AspNetCore.Authorization;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Prometheus;

namespace CardMall.Web.Hosting;

/// <summary>
/// Traces and metrics (docs/decisions/0026). OpenTelemetry collects ASP.NET Core, HttpClient (supplier calls),
/// Npgsql, the runtime and the shop's own meter "CardMall", and exports them over OTLP — only when an endpoint is
/// configured: without a collector nothing listens for traces, so requests build no spans nobody reads. The
/// operators' Prometheus scrape, /metrics (prometheus-net), reads the same meters in process and is for staff with
/// the Operator or Admin role, signed in with an API key (the scraper's bearer token).
/// </summary>
public static class ShopTelemetry
{
    /// <summary>The OTLP endpoint, e.g. http://collector:4317; the standard OTEL_EXPORTER_OTLP_ENDPOINT works too.</summary>
    public const string OtlpEndpointSetting = "CardMall:Telemetry:OtlpEndpoint";

    /// <summary>Grpc (the default, port 4317) or HttpProtobuf (port 4318).</summary>
    public const string OtlpProtocolSetting = "CardMall:Telemetry:OtlpProtocol";

    public const string MetricsPath = "/metrics";

    public static IServiceCollection AddShopTelemetry(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var endpoint = configuration[OtlpEndpointSetting];
        var standardEndpoint = configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (string.IsNullOrWhiteSpace(endpoint) && string.IsNullOrWhiteSpace(standardEndpoint)) return services;

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("cardmall", serviceInstanceId: Environment.MachineName)
                .AddAttributes([new("deployment.environment.name", environment.EnvironmentName)]))
            .WithTracing(t => t
                // No exception events: an exception's message may quote what the use case was handling (a card key).
                // Query strings are redacted by the instrumentations themselves.
                .AddAspNetCoreInstrumentation(o => o.Filter = c => !c.Request.Path.StartsWithSegments(MetricsPath))
                .AddHttpClientInstrumentation()
                .AddNpgsql())
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddMeter(ShopMetrics.MeterName));
        if (!string.IsNullOrWhiteSpace(endpoint))
            telemetry.UseOtlpExporter(configuration.GetValue(OtlpProtocolSetting, OtlpExportProtocol.Grpc), new Uri(endpoint));
        else
            telemetry.UseOtlpExporter();
        return services;
    }

    /// <summary>The Prometheus text format of every meter in the process, for Operators and Admins only.</summary>
    public static WebApplication MapShopMetrics(this WebApplication app)
    {
        // prometheus-net listens to every meter in the process unless told otherwise, and Npgsql's meters record
        // every statement: a checkout's ten statements each paid a measurement turned into labelled series that
        // only the scrape reads (web CPU per order rose by about a fifth, bench/storefront.sh). The scrape shows
        // the shop's own meter, requests (one measurement each) and the runtime; the full set goes over OTLP.
        Prometheus.Metrics.ConfigureMeterAdapter(o => o.InstrumentFilterPredicate = instrument =>
            instrument.Meter.Name is ShopMetrics.MeterName or "Microsoft.AspNetCore.Hosting" or "System.Runtime");
        app.MapMetrics(MetricsPath)
            .RequireAuthorization(new AuthorizeAttribute
            {
                AuthenticationSchemes = Identity.ApiKeyAuthenticationHandler.SchemeName,
                Policy = ShopWeb.OperatorPolicy,
            });
        return app;
    }
}
