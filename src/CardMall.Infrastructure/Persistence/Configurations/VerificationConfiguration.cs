using CardMall.Application.Accounts;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Catalog;
using CardMall.Domain.Risk;
using CardMall.Domain.Tickets;
using CardMall.Domain.Verification;
using CardMall.Infrastructure.Suppliers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CardMall.Infrastructure.Persistence.Configurations;

internal sealed class KeyVerificationConfiguration : IEntityTypeConfiguration<KeyVerification>
{
    public void Configure(EntityTypeBuilder<KeyVerification> b)
    {
        b.ToTable("key_verifications");
        b.HasKey(v => v.Id);
        b.Property(v => v.Trigger).HasMaxLength(16).IsRequired();
        b.Property(v => v.Status).HasConversion<string>().HasMaxLength(12).IsRequired();
        b.Property(v => v.KeyState).HasMaxLength(16);
        b.Property(v => v.Answer).HasConversion<string>().HasMaxLength(16);
        b.Property(v => v.SupplierError).HasMaxLength(200);
        b.Property(v => v.Outcome).HasConversion<string>().HasMaxLength(24);
        // The worker's queue: pending checks that are due, oldest first.
        b.HasIndex(v => v.NextAttemptAt).HasFilter("status = 'Pending'");
        b.HasIndex(v => v.CardKeyId);
        b.HasIndex(v => v.TicketId);
        b.HasOne<CardKey>().WithMany().HasForeignKey(v => v.CardKeyId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Ticket>().WithMany().HasForeignKey(v => v.TicketId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SupplierCallConfiguration : IEntityTypeConfiguration<SupplierCall>
{
    public void Configure(EntityTypeBuilder<SupplierCall> b)
    {
        b.ToTable("supplier_calls");
        b.HasKey(c => c.Id);
        b.Property(c => c.Id).UseIdentityByDefaultColumn();
        b.Property(c => c.Operation).HasMaxLength(16).IsRequired();
        b.Property(c => c.Outcome).HasMaxLength(16).IsRequired();
        b.HasIndex(c => new { c.SupplierId, c.At });
        b.HasOne<Supplier>().WithMany().HasForeignKey(c => c.SupplierId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ActivationEventConfiguration : IEntityTypeConfiguration<ActivationEvent>
{
    public void Configure(EntityTypeBuilder<ActivationEvent> b)
    {
        b.ToTable("activation_events");
        b.HasKey(e => e.Id);
        b.Property(e => e.Id).UseIdentityByDefaultColumn();
        b.Property(e => e.Source).HasMaxLength(12).IsRequired();
        b.Property(e => e.DeviceId).HasMaxLength(128).IsRequired();
        b.Property(e => e.Ip).HasMaxLength(64);
        b.Property(e => e.Result).HasMaxLength(32).IsRequired();
        // A replayed webhook carries the same event: stored once.
        b.HasIndex(e => e.Fingerprint).IsUnique();
        b.HasIndex(e => new { e.CardKeyId, e.At });
        b.HasOne<CardKey>().WithMany().HasForeignKey(e => e.CardKeyId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Supplier>().WithMany().HasForeignKey(e => e.SupplierId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class RiskAlertConfiguration : IEntityTypeConfiguration<RiskAlert>
{
    public void Configure(EntityTypeBuilder<RiskAlert> b)
    {
        b.ToTable("risk_alerts");
        b.HasKey(a => a.Id);
        b.Property(a => a.Kind).HasMaxLength(32).IsRequired();
        b.Property(a => a.Detail).HasMaxLength(500).IsRequired();
        b.HasIndex(a => a.CreatedAt).HasFilter("acknowledged_at IS NULL");
        b.HasOne<CardKey>().WithMany().HasForeignKey(a => a.CardKeyId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Ticket>().WithMany().HasForeignKey(a => a.TicketId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Incident>().WithMany().HasForeignKey(a => a.IncidentId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class UserDeviceConfiguration : IEntityTypeConfiguration<UserDevice>
{
    public void Configure(EntityTypeBuilder<UserDevice> b)
    {
        b.ToTable("user_devices");
        b.HasKey(d => new { d.UserId, d.DeviceHash });
        b.Property(d => d.DeviceHash).HasMaxLength(64);
        b.Property(d => d.Ip).HasMaxLength(64);
        b.Property(d => d.UserAgent).HasMaxLength(300);
        b.HasOne<ShopUser>().WithMany().HasForeignKey(d => d.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class IncidentConfiguration : IEntityTypeConfiguration<Incident>
{
    public void Configure(EntityTypeBuilder<Incident> b)
    {
        b.ToTable("incidents", t => t.HasCheckConstraint("ck_incidents_liability", "liability_amount >= 0"));
        b.HasKey(i => i.Id);
        b.Property(i => i.No).HasMaxLength(24).IsRequired();
        b.HasIndex(i => i.No).IsUnique();
        b.Property(i => i.Reason).HasMaxLength(300).IsRequired();
        b.Property(i => i.Status).HasConversion<string>().HasMaxLength(12).IsRequired();
        b.Property(i => i.Remedy).HasConversion<string>().HasMaxLength(12);
        // One open incident per batch: later complaints join it.
        b.HasIndex(i => i.BatchId).IsUnique().HasFilter("status = 'Open'");
        b.HasIndex(i => new { i.SupplierId, i.OpenedAt });
        b.HasOne<KeyBatch>().WithMany().HasForeignKey(i => i.BatchId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Supplier>().WithMany().HasForeignKey(i => i.SupplierId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Product>().WithMany().HasForeignKey(i => i.ProductId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class IncidentTicketConfiguration : IEntityTypeConfiguration<IncidentTicket>
{
    public void Configure(EntityTypeBuilder<IncidentTicket> b)
    {
        b.ToTable("incident_tickets");
        b.HasKey(l => new { l.IncidentId, l.TicketId });
        b.HasIndex(l => l.TicketId);
        b.HasOne<Incident>().WithMany().HasForeignKey(l => l.IncidentId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Ticket>().WithMany().HasForeignKey(l => l.TicketId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SupplierLedgerEntryConfiguration : IEntityTypeConfiguration<SupplierLedgerEntry>
{
    public void Configure(EntityTypeBuilder<SupplierLedgerEntry> b)
    {
        b.ToTable("supplier_ledger_entries", t => t.HasCheckConstraint("ck_supplier_ledger_entries_amount", "amount <> 0"));
        b.HasKey(e => e.Id);
        b.Property(e => e.Id).UseIdentityByDefaultColumn();
        b.Property(e => e.Reason).HasMaxLength(300).IsRequired();
        b.HasIndex(e => new { e.SupplierId, e.At });
        // Charging an incident's key twice is impossible: the remedy may be pressed any number of times.
        b.HasIndex(e => new { e.IncidentId, e.CardKeyId }).IsUnique().HasFilter("incident_id IS NOT NULL");
        b.HasOne<Supplier>().WithMany().HasForeignKey(e => e.SupplierId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Incident>().WithMany().HasForeignKey(e => e.IncidentId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SandboxSupplierKeyConfiguration : IEntityTypeConfiguration<SandboxSupplierKey>
{
    public void Configure(EntityTypeBuilder<SandboxSupplierKey> b)
    {
        b.ToTable("sandbox_supplier_keys");
        b.HasKey(k => k.CodeHash);
        b.Property(k => k.Answer).HasMaxLength(12).IsRequired();
    }
}
