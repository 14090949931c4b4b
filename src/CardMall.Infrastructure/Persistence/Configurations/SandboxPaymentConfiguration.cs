using CardMall.Infrastructure.Payments;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CardMall.Infrastructure.Persistence.Configurations;

internal sealed class SandboxPaymentConfiguration : IEntityTypeConfiguration<SandboxPayment>
{
    public void Configure(EntityTypeBuilder<SandboxPayment> b)
    {
        b.ToTable("sandbox_payments", t =>
        {
            t.HasCheckConstraint("ck_sandbox_payments_amount", "amount > 0");
            t.HasCheckConstraint("ck_sandbox_payments_refunded", "refunded_amount >= 0 AND refunded_amount <= amount");
        });
        b.HasKey(p => p.TradeNo);
        b.Property(p => p.TradeNo).HasMaxLength(32);
        // Like a real gateway, one payment per merchant order number: opening it again returns the same one.
        b.Property(p => p.Reference).HasMaxLength(32).IsRequired();
        b.HasIndex(p => p.Reference).IsUnique();
        b.Property(p => p.Status).HasConversion<string>().HasMaxLength(16).IsRequired();
        b.Property(p => p.NotifyUrl).HasMaxLength(500).IsRequired();
        b.Property(p => p.ReturnUrl).HasMaxLength(500).IsRequired();
        b.HasIndex(p => p.NextNotifyAt);
    }
}

internal sealed class SandboxRefundConfiguration : IEntityTypeConfiguration<SandboxRefund>
{
    public void Configure(EntityTypeBuilder<SandboxRefund> b)
    {
        b.ToTable("sandbox_refunds", t => t.HasCheckConstraint("ck_sandbox_refunds_amount", "amount > 0"));
        b.HasKey(r => r.RefundNo);
        b.Property(r => r.RefundNo).HasMaxLength(40);
        b.Property(r => r.TradeNo).HasMaxLength(32).IsRequired();
        b.HasIndex(r => r.TradeNo);
    }
}
