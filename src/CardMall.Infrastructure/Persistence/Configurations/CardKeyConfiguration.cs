using CardMall.Domain.CardKeys;
using CardMall.Domain.Catalog;
using CardMall.Domain.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CardMall.Infrastructure.Persistence.Configurations;

internal sealed class SupplierConfiguration : IEntityTypeConfiguration<Supplier>
{
    public void Configure(EntityTypeBuilder<Supplier> b)
    {
        b.ToTable("suppliers");
        b.HasKey(s => s.Id);
        b.Property(s => s.Code).HasMaxLength(64).IsRequired();
        b.HasIndex(s => s.Code).IsUnique();
        b.Property(s => s.Name).HasMaxLength(200).IsRequired();
        b.Property(s => s.WebhookSecretCipher).IsRequired();
        b.Property(s => s.Protocol).HasMaxLength(32).IsRequired();
        b.Property(s => s.ApiBaseUrl).HasMaxLength(300);
    }
}

internal sealed class KeyBatchConfiguration : IEntityTypeConfiguration<KeyBatch>
{
    public void Configure(EntityTypeBuilder<KeyBatch> b)
    {
        b.ToTable("key_batches", t => t.HasCheckConstraint("ck_key_batches_unit_cost", "unit_cost >= 0"));
        b.HasKey(x => x.Id);
        b.Property(x => x.FileHash).HasMaxLength(64).IsRequired();
        b.HasOne<Product>().WithMany().HasForeignKey(x => x.ProductId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Supplier>().WithMany().HasForeignKey(x => x.SupplierId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.ProductId);
        b.HasIndex(x => x.SupplierId);
    }
}

internal sealed class CardKeyConfiguration : IEntityTypeConfiguration<CardKey>
{
    public void Configure(EntityTypeBuilder<CardKey> b)
    {
        b.ToTable("card_keys", t => t.HasCheckConstraint("ck_card_keys_sold_has_order", "(state = 'Available') = (order_id IS NULL) OR state IN ('Frozen', 'Void')"));
        b.HasKey(k => k.Id);
        b.Property(k => k.CodeHash).IsRequired();
        b.HasIndex(k => k.CodeHash).IsUnique();
        b.Property(k => k.CodeCipher).IsRequired();
        b.Property(k => k.State).HasConversion<string>().HasMaxLength(16).IsRequired();
        b.Property(k => k.StateBeforeFreeze).HasConversion<string>().HasMaxLength(16);
        b.HasOne<Product>().WithMany().HasForeignKey(k => k.ProductId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<KeyBatch>().WithMany().HasForeignKey(k => k.BatchId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Order>().WithMany().HasForeignKey(k => k.OrderId).OnDelete(DeleteBehavior.Restrict);
        // Allocation reads the available keys of one product in exactly this order (soonest expiry first,
        // then by id), so it touches only the keys it takes, however large the stock (migration 0014). The
        // filter and the expiry range are CardKey.SellableAt, written for the index: keep them in step.
        b.HasIndex(k => new { k.ProductId, k.ExpiresAt, k.Id }).HasDatabaseName("ix_card_keys_sellable").HasFilter("state = 'Available'");
        b.HasIndex(k => k.BatchId);
        b.HasIndex(k => k.OrderId);
        // Dashboards: keys sold per supplier in a period (the batch names the supplier).
        b.HasIndex(k => k.SoldAt).IncludeProperties(k => k.BatchId).HasFilter("sold_at IS NOT NULL");
    }
}

internal sealed class CardKeyEventConfiguration : IEntityTypeConfiguration<CardKeyEvent>
{
    public void Configure(EntityTypeBuilder<CardKeyEvent> b)
    {
        b.ToTable("card_key_events");
        b.HasKey(e => e.Id);
        b.Property(e => e.Id).UseIdentityByDefaultColumn();
        b.Property(e => e.Kind).HasConversion<string>().HasMaxLength(24).IsRequired();
        b.Property(e => e.Detail).HasMaxLength(500);
        b.Property(e => e.Ip).HasMaxLength(64);
        b.Property(e => e.UserAgent).HasMaxLength(300);
        b.HasOne<CardKey>().WithMany().HasForeignKey(e => e.CardKeyId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(e => new { e.CardKeyId, e.At });
    }
}
