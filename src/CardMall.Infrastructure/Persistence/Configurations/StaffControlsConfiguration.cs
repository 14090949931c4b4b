using CardMall.Application.Accounts;
using CardMall.Domain.Audit;
using CardMall.Domain.Wallets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CardMall.Infrastructure.Persistence.Configurations;

internal sealed class WalletAdjustmentConfiguration : IEntityTypeConfiguration<WalletAdjustment>
{
    public void Configure(EntityTypeBuilder<WalletAdjustment> b)
    {
        b.ToTable("wallet_adjustments", t => t.HasCheckConstraint("ck_wallet_adjustments_amount", "amount <> 0"));
        b.HasKey(a => a.Id);
        b.Property(a => a.Reason).HasMaxLength(500).IsRequired();
        b.Property(a => a.RequestKey).HasMaxLength(64).IsRequired();
        b.Property(a => a.Status).HasConversion<string>().HasMaxLength(16).IsRequired();
        b.Ignore(a => a.LedgerReference);
        b.Ignore(a => a.IsPending);
        // One form or Idempotency-Key, one request: a retry finds the first one.
        b.HasIndex(a => new { a.UserId, a.RequestKey }).IsUnique();
        b.HasIndex(a => a.RequestedAt).HasFilter("status = 'PendingApproval'");
        b.HasOne<ShopUser>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>
/// No foreign keys: a record outlives anything it names. The database refuses UPDATE, DELETE and TRUNCATE
/// on the table (triggers in migration 0016, which the EF model cannot express).
/// </summary>
internal sealed class AuditRecordConfiguration : IEntityTypeConfiguration<AuditRecord>
{
    public void Configure(EntityTypeBuilder<AuditRecord> b)
    {
        b.ToTable("audit_records");
        b.HasKey(r => r.Id);
        b.Property(r => r.Id).UseIdentityByDefaultColumn();
        b.Property(r => r.ActorEmail).HasMaxLength(256).IsRequired();
        b.Property(r => r.Action).HasMaxLength(64).IsRequired();
        b.Property(r => r.Subject).HasMaxLength(AuditRecord.SubjectLength);
        b.Property(r => r.Detail).HasMaxLength(AuditRecord.DetailLength).IsRequired();
        b.Property(r => r.IpAddress).HasMaxLength(64);
        b.HasIndex(r => r.At);
        b.HasIndex(r => new { r.Action, r.Id });
        b.HasIndex(r => new { r.ActorId, r.Id });
    }
}
