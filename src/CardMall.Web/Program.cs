using CardMall.Application;
using CardMall.Infrastructure;
using CardMall.Web.Hosting;

if (ModelScript.TryPrint(args)) return;

var builder = WebApplication.CreateBuilder(args);

builder.AddShopLogging();
builder.Services.AddApplication();
builder.Services.AddInfrastructure();
builder.Services.AddShopWeb(builder.Environment);

var app = builder.Build();

await app.PrepareDatabaseAsync();
app.UseShopPipeline();
app.MapShopEndpoints();

await app.RunAsync();

/// <summary>Entry point, visible to the test hosts.</summary>
public partial class Program;
