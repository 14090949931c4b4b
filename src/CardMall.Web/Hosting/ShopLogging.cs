using Serilog;

namespace CardMall.Web.Hosting;

/// <summary>
/// Serilog from the "Serilog" configuration section (console, optional file), wired as the only
/// logging provider. Serilog.AspNetCore is not served here, so the request log is our own middleware
/// (docs/decisions/0003).
/// </summary>
public static class ShopLogging
{
    public static WebApplicationBuilder AddShopLogging(this WebApplicationBuilder builder)
    {
        var logger = new LoggerConfiguration()
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            .CreateLogger();
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: true);
        return builder;
    }
}
