using CardMall.Application.Abstractions;
using CardMall.Application.Accounts;
using CardMall.Application.Features.Tickets;
using CardMall.Domain.Accounts;
using CardMall.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CardMall.Infrastructure.Seeding;

/// <summary>
/// The demo shop that ./scripts/run.sh starts: one account per role and an admin API key. Seeded once
/// (a second start finds the accounts and leaves them alone); later features add their demo data here.
/// Runs only when CardMall:Demo:Seed is true — never in production by accident.
/// </summary>
public sealed class DemoData(IServiceProvider services, IConfiguration configuration, TimeProvider clock)
{
    public const string DefaultPassword = "CardMall@2026";
    private const long LockId = 0x44656D6F53656564; // "DemoSeed"

    public static readonly IReadOnlyList<(string Email, string Role, MemberTier Tier, string Name)> Accounts =
    [
        ("buyer@cardmall.test", ShopRoles.Buyer, MemberTier.Regular, "小明"),
        ("vip@cardmall.test", ShopRoles.Buyer, MemberTier.Vip, "VIP 小红"),
        ("reseller@cardmall.test", ShopRoles.Reseller, MemberTier.Reseller, "星河代理"),
        ("agent@cardmall.test", ShopRoles.Agent, MemberTier.Regular, "客服小李"),
        ("agent2@cardmall.test", ShopRoles.Agent, MemberTier.Regular, "客服小林"),
        ("agent3@cardmall.test", ShopRoles.Agent, MemberTier.Regular, "客服小周"),
        ("supervisor@cardmall.test", ShopRoles.Supervisor, MemberTier.Regular, "主管老王"),
        ("operator@cardmall.test", ShopRoles.Operator, MemberTier.Regular, "运营阿杰"),
        ("admin@cardmall.test", ShopRoles.Admin, MemberTier.Regular, "管理员"),
    ];

    /// <summary>What the demo buyers start with, so they can buy straight away.</summary>
    public static readonly IReadOnlyList<(string Email, decimal Balance)> StartingBalances =
    [
        ("buyer@cardmall.test", 500.00m),
        ("vip@cardmall.test", 1000.00m),
        ("reseller@cardmall.test", 5000.00m),
    ];

    public string Password => configuration["CardMall:Demo:Password"] is { Length: > 0 } p ? p : DefaultPassword;

    /// <summary>Seeds what is missing and returns what to print for the person who started the shop.</summary>
    public async Task<DemoSeedReport> SeedAsync(CancellationToken ct = default)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountOpening>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ShopUser>>();

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            // Another node starting at the same moment holds this lock for as long as the whole demo takes to replay
            // through the real commands (a minute or more on a busy machine): waiting for it is not a stuck statement.
            var timeout = db.Database.GetCommandTimeout();
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(15));
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({LockId})", ct);
            db.Database.SetCommandTimeout(timeout);
            var created = new List<string>();
            foreach (var (email, role, tier, name) in Accounts)
            {
                if (await users.FindByEmailAsync(email) is not null) continue;
                await accounts.OpenAsync(email, Password, name, role, tier);
                created.Add(email);
            }

            string? newApiKey = null;
            var admin = await users.FindByEmailAsync("admin@cardmall.test")
                ?? throw new InvalidOperationException("Demo admin account missing after seeding.");
            await DemoArticles.SeedAsync(db, admin.Id, clock.GetUtcNow(), ct);
            var operatorAccount = await users.FindByEmailAsync("operator@cardmall.test");
            var vault = scope.ServiceProvider.GetRequiredService<ICardKeyVault>();
            // Stocked when the shop opened, so the keys of the demo history's orders were imported before they were sold.
            await DemoCatalog.SeedAsync(db, vault, operatorAccount!.Id, clock.GetUtcNow() - DemoTickets.ShopAge, clock.GetUtcNow(), ct);
            // Before today's starting balances: the history funds its buyers on the day their accounts opened.
            var afterSales = scope.ServiceProvider.GetRequiredService<IOptions<AfterSalesOptions>>().Value;
            // The history's everyday customers sign in with the demo password too; hashing is slow on purpose, so it is done once for all.
            string? passwordHash = null;
            string HashPassword(ShopUser user) => passwordHash ??= users.PasswordHasher.HashPassword(user, Password);
            await DemoTickets.SeedAsync(db, services.GetRequiredService<DemoScope>(), afterSales, vault, HashPassword, operatorAccount.Id, clock.GetUtcNow(), ct);
            foreach (var (email, balance) in StartingBalances)
            {
                var buyer = await users.FindByEmailAsync(email);
                if (buyer is not null) await DemoCatalog.FundAsync(db, buyer.Id, balance, operatorAccount.Id, clock.GetUtcNow(), ct);
            }
            // run.sh always passes the variable; empty means "not chosen", so a random key is made once.
            var configuredKey = configuration["CardMall:Demo:AdminApiKey"] is { } k && !string.IsNullOrWhiteSpace(k) ? k.Trim() : null;
            if (configuredKey is not null)
            {
                var hash = ApiKey.Hash(configuredKey);
                if (!await db.ApiKeys.AnyAsync(k => k.KeyHash == hash, ct))
                {
                    db.ApiKeys.Add(ApiKey.FromPlain(admin.Id, "demo admin key", configuredKey, clock.GetUtcNow()));
                    await db.SaveChangesAsync(ct);
                    newApiKey = configuredKey;
                }
            }
            else if (!await db.ApiKeys.AnyAsync(k => k.UserId == admin.Id, ct))
            {
                var (key, plain) = ApiKey.Issue(admin.Id, "demo admin key", clock.GetUtcNow());
                db.ApiKeys.Add(key);
                await db.SaveChangesAsync(ct);
                newApiKey = plain;
            }
            return new DemoSeedReport(created, newApiKey, configuredKey);
        }
        finally
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({LockId})", CancellationToken.None);
            await db.Database.CloseConnectionAsync();
        }
    }
}

public sealed record DemoSeedReport(IReadOnlyList<string> CreatedAccounts, string? NewAdminApiKey, string? ConfiguredAdminApiKey);
