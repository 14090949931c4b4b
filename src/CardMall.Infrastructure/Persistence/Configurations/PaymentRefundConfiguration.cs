using CardMall.Application.Accounts;
using CardMall.Domain.Payments;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CardMall.Infrastructure.Persistence.Configurations;

internal sealed class PaymentRefundConfiguration : IEntityTypeConfiguration<PaymentRefund>
{
    public void Configure(EntityTypeBuilder<PaymentRefund> b)
    {
        b.ToTable("payment_refunds", t => t.HasCheckConstraint("ck_payment_refunds_amount", "amount > 0"));
        b.HasKey(r => r.Id);
        b.Property(r => r.No).HasMaxLength(24).IsRequired();
        b.HasIndex(r => r.No).IsUnique();
        b.Property(r => r.Gateway).HasMaxLength(32).IsRequired();
        b.Property(r => r.Reference).HasMaxLength(32).IsRequired();
        b.Property(r => r.TradeNo).HasMaxLength(64).IsRequired();
        b.Property(r => r.Reason).HasConversion<string>().HasMaxLength(24).IsRequired();
        b.Property(r => r.Status).HasConversion<string>().HasMaxLength(16).IsRequired();
        b.Property(r => r.LastError).HasMaxLength(200);
        // A payment that should not have come is paid back once, however often its notification is replayed.
        b.HasIndex(r => new { r.Gateway, r.TradeNo }).IsUnique().HasDatabaseName("ix_payment_refunds_stray_payment")
            .HasFilter("reason <> 'AfterSales'");
        b.HasIndex(r => r.Reference);
        // The watcher's work list.
        b.HasIndex(r => r.NextAttemptAt).HasDatabaseName("ix_payment_refunds_due").HasFilter("status = 'Pending'");
        b.HasOne<ShopUser>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}
