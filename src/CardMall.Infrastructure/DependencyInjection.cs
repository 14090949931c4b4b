using CardMall.Application.Abstractions;
using CardMall.Infrastructure.CardKeys;
using CardMall.Infrastructure.DataProtection;
using CardMall.Infrastructure.Health;
using CardMall.Infrastructure.Persistence;
using CardMall.Infrastructure.Seeding;
using CardMall.Infrastructure.Suppliers;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CardMall.Infrastructure;

public static class DependencyInjection
{
    public static IServiceCollection AddInfrastructure(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);

        // The connection string is read when the context is created, so a test host's settings win.
        services.AddScoped<DispatchDomainEvents>();
        services.AddDbContext<CardMallDbContext>((sp, options) =>
            options.UseNpgsql(sp.GetRequiredService<IConfiguration>().CardMallConnectionString(),
                    npgsql => npgsql.EnableRetryOnFailure(maxRetryCount: 4, maxRetryDelay: TimeSpan.FromSeconds(2), errorCodesToAdd: null))
                .AddInterceptors(sp.GetRequiredService<DispatchDomainEvents>()));
        services.AddScoped<ICardMallDb>(sp => sp.GetRequiredService<CardMallDbContext>());
        services.AddOptions<Replica.ReplicaOptions>().BindConfiguration(Replica.ReplicaOptions.Section);
        services.AddSingleton<Replica.ReplicaState>();
        services.AddScoped<ILagTolerantReads, Replica.LagTolerantReads>();

        services.AddSingleton(sp =>
        {
            var configuration = sp.GetRequiredService<IConfiguration>();
            var env = sp.GetRequiredService<Microsoft.Extensions.Hosting.IHostEnvironment>();
            return CardKeyRing.FromConfiguration(configuration, DataDirectory(configuration, env));
        });
        services.AddSingleton<ICardKeyVault, CardKeyVault>();
        services.AddScoped<ICardKeyBulkWriter, CardKeyBulkWriter>();
        services.AddScoped<IStockCounts, Stock.StockCounts>();
        services.AddScoped<ISupplierLedger, SupplierLedger>();
        services.AddScoped<IAgentWorkload, Tickets.AgentWorkload>();
        services.AddScoped<ISupplierLatency, Suppliers.SupplierLatency>();
        services.AddSingleton<IShelfStock, Stock.ShelfStock>();
        services.AddOptions<Application.Features.Catalog.CatalogueOptions>().BindConfiguration(Application.Features.Catalog.CatalogueOptions.Section);

        services.AddSingleton<MigrationRunner>();
        services.AddSingleton<DemoData>();
        // The demo's stories are replayed through the app's own use cases, in a container built from these registrations.
        services.AddSingleton(new DemoScope(services));

        services.AddDataProtection().SetApplicationName("CardMall");
        services.AddSingleton<IGuestLinks, DataProtection.GuestLinks>();
        services.AddSingleton(sp =>
        {
            var configuration = sp.GetRequiredService<IConfiguration>();
            var env = sp.GetRequiredService<Microsoft.Extensions.Hosting.IHostEnvironment>();
            return KeyRingCertificate.FromConfiguration(configuration, DataDirectory(configuration, env));
        });
        // Keys are stored in PostgreSQL, sealed with the key-ring certificate (decision 0020).
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o =>
            {
                o.XmlRepository = new DbXmlRepository(sp.GetRequiredService<IServiceScopeFactory>());
                o.XmlEncryptor = new SealedKeyEncryptor(sp.GetRequiredService<KeyRingCertificate>(),
                    sp.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>());
            }));

        services.AddOptions<Mail.MailOptions>().BindConfiguration(Mail.MailOptions.Section)
            .PostConfigure<IConfiguration, Microsoft.Extensions.Hosting.IHostEnvironment>((o, configuration, env) =>
            {
                if (o.PickupDirectory is { Length: > 0 } dir && !Path.IsPathRooted(dir))
                    o.PickupDirectory = Path.GetFullPath(Path.Combine(DataDirectory(configuration, env), dir));
            });
        services.AddSingleton<IMailSender, Mail.SmtpMailSender>();

        // Supplier interfaces (timeout, retry, circuit breaker per supplier) and the built-in sandbox supplier's answers.
        services.AddSupplierGateways();

        services.AddHealthChecks()
            .AddCheck<MigrationsAppliedCheck>("database", tags: ["ready"]);
        return services;
    }

    /// <summary>Where the app keeps local files (development key ring, mail drop): CardMall:DataDirectory, else .data beside the content root.</summary>
    public static string DataDirectory(IConfiguration configuration, Microsoft.Extensions.Hosting.IHostEnvironment env) =>
        configuration["CardMall:DataDirectory"] is { Length: > 0 } dir ? dir : Path.Combine(env.ContentRootPath, ".data");
}
