using CardMall.Application.Accounts;
using CardMall.Domain.Notifications;
using CardMall.Domain.Wallets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CardMall.Infrastructure.Persistence.Configurations;

internal sealed class WalletConfiguration : IEntityTypeConfiguration<Wallet>
{
    public void Configure(EntityTypeBuilder<Wallet> b)
    {
        // The database itself refuses a negative balance, whatever the code does.
        b.ToTable("wallets", t => t.HasCheckConstraint("ck_wallets_balance_not_negative", "balance >= 0"));
        b.HasKey(w => w.UserId);
        b.HasOne<ShopUser>().WithOne().HasForeignKey<Wallet>(w => w.UserId).OnDelete(DeleteBehavior.Cascade);
        // A wallet created by SQL (WalletLock, bulk seeding) starts with no purchases.
        b.Property(w => w.Purchases).HasDefaultValue(0).ValueGeneratedNever();
    }
}

internal sealed class LedgerEntryConfiguration : IEntityTypeConfiguration<LedgerEntry>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> b)
    {
        b.ToTable("ledger_entries", t => t.HasCheckConstraint("ck_ledger_entries_amount", "amount <> 0 AND balance_after >= 0"));
        b.HasKey(e => e.Id);
        b.Property(e => e.Id).UseIdentityByDefaultColumn();
        b.Property(e => e.Kind).HasConversion<string>().HasMaxLength(16).IsRequired();
        b.Property(e => e.Reference).HasMaxLength(64).IsRequired();
        b.Property(e => e.Note).HasMaxLength(500);
        b.HasIndex(e => new { e.UserId, e.Id });
        // An adjustment's reference carries its request key: the same key cannot adjust twice.
        b.HasIndex(e => new { e.UserId, e.Reference }).IsUnique().HasFilter("kind = 'Adjustment'");
        b.HasOne<Wallet>().WithMany().HasForeignKey(e => e.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TopUpConfiguration : IEntityTypeConfiguration<TopUp>
{
    public void Configure(EntityTypeBuilder<TopUp> b)
    {
        b.ToTable("top_ups", t => t.HasCheckConstraint("ck_top_ups_amount", "amount > 0"));
        b.HasKey(t => t.Id);
        b.Property(t => t.No).HasMaxLength(32).IsRequired();
        b.HasIndex(t => t.No).IsUnique();
        b.Property(t => t.Gateway).HasMaxLength(32).IsRequired();
        b.Property(t => t.GatewayTradeNo).HasMaxLength(64);
        b.Property(t => t.Status).HasConversion<string>().HasMaxLength(16).IsRequired();
        b.HasIndex(t => new { t.Status, t.CreatedAt });
        b.HasIndex(t => new { t.UserId, t.CreatedAt });
        b.HasOne<ShopUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.ToTable("notifications");
        b.HasKey(n => n.Id);
        b.Property(n => n.Kind).HasMaxLength(64).IsRequired();
        b.Property(n => n.Args).HasMaxLength(2000).IsRequired();
        b.Property(n => n.Link).HasMaxLength(1000);
        b.Ignore(n => n.ArgList);
        b.HasIndex(n => new { n.UserId, n.CreatedAt });
        b.HasOne<ShopUser>().WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
