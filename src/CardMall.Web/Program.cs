using CardMall.Application;
using CardMall.Infrastructure;
using CardMall.Web.Chats;
using CardMall.Web.Hosting;

if (ModelScript.TryPrint(args)) return;

// Until the host's own logger exists, a console logger reports why a start failed (bad configuration, no database).
ShopLogging.StartBootstrapLogger();
try
{
    var builder = WebApplication.CreateBuilder(args);
    if (!builder.Environment.IsDevelopment())
    {
        // MapStaticAssets serves the build's compressed copies (under obj/) through the build's manifest, which
        // ASP.NET reads by itself only in Development: run from a build in another environment (the tests, the
        // benchmarks) it would answer brotli and gzip requests with empty files. A publish has no such manifest.
        Microsoft.AspNetCore.Hosting.StaticWebAssets.StaticWebAssetsLoader.UseStaticWebAssets(builder.Environment, builder.Configuration);
        // Files served as built: compressed, and fingerprinted URLs cached for a year. Checking wwwroot for
        // edits on every request (the default when running from a build) is for Development, where it stays on.
        builder.Configuration.AddInMemoryCollection([new("ReloadStaticAssetsAtRuntime", "false")]);
    }

    builder.AddShopLogging();
    builder.Services.AddApplication();
    builder.Services.AddInfrastructure();
    builder.Services.AddShopWeb(builder.Environment);
    builder.Services.AddChatLive(builder.Configuration);
    builder.Services.AddShopTelemetry(builder.Configuration, builder.Environment);

    var app = builder.Build();

    await app.PrepareDatabaseAsync();
    app.UseShopPipeline();
    app.MapShopEndpoints();

    await app.RunAsync();
}
// The test host stops the app on purpose once it has built it: that is not a failed start.
catch (Exception ex) when (ex is not HostAbortedException)
{
    Serilog.Log.Fatal(ex, "CardMall stopped: it failed to start or its host failed");
    throw;
}
finally
{
    await Serilog.Log.CloseAndFlushAsync();
}

/// <summary>Entry point, visible to the test hosts.</summary>
public partial class Program;
