using CardMall.Infrastructure;
using CardMall.Infrastructure.Persistence;
using CardMall.Infrastructure.Seeding;

namespace CardMall.Web.Hosting;

public static class DatabaseStartup
{
    /// <summary>
    /// Applies pending migrations (under the advisory lock, so every node may do it) and, for the demo
    /// shop, seeds the demo data and prints how to sign in.
    /// </summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        var config = app.Configuration;
        if (config.GetValue("CardMall:Database:MigrateOnStartup", true))
            await app.Services.GetRequiredService<MigrationRunner>().MigrateAsync(config.CardMallConnectionString());

        if (!config.GetValue<bool>("CardMall:Demo:Seed")) return;
        var demo = app.Services.GetRequiredService<DemoData>();
        var report = await demo.SeedAsync();

        // Printed on the console on purpose: these are the demo shop's sign-in details.
        Console.WriteLine();
        Console.WriteLine("==== CardMall demo accounts (password for all: " + demo.Password + ") ====");
        foreach (var (email, role, tier, _) in DemoData.Accounts)
            Console.WriteLine($"  {role,-11} {email,-28} tier {tier}");
        foreach (var (email, balance) in DemoData.StartingBalances)
            Console.WriteLine($"  {email} starts with ¥{balance:0.00} to spend");
        if (report.NewAdminApiKey is not null)
            Console.WriteLine($"  Admin API key (shown once, keep it): {report.NewAdminApiKey}");
        else if (report.ConfiguredAdminApiKey is not null)
            Console.WriteLine("  Admin API key: the one in CARDMALL_DEMO_ADMIN_API_KEY");
        else
            Console.WriteLine("  Admin API key: printed at the first start; create another on the account page.");
        Console.WriteLine("====");
        Console.WriteLine();
    }
}
