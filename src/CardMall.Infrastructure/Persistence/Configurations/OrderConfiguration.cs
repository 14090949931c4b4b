using CardMall.Application.Accounts;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Catalog;
using CardMall.Domain.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CardMall.Infrastructure.Persistence.Configurations;

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> b)
    {
        b.ToTable("orders", t =>
        {
            t.HasCheckConstraint("ck_orders_amounts", "quantity >= 1 AND unit_price > 0 AND total = unit_price * quantity");
            // However many refunds race, together they never give back more than was paid.
            t.HasCheckConstraint("ck_orders_refunded", "refunded_amount >= 0 AND refunded_amount <= total");
            // Refunds and goodwill compensation together never pass what the order cost (migration 0015).
            t.HasCheckConstraint("ck_orders_paid_back", "compensated_amount >= 0 AND refunded_amount + compensated_amount <= total");
        });
        b.HasKey(o => o.Id);
        b.Property(o => o.No).HasMaxLength(24).IsRequired();
        b.HasIndex(o => o.No).IsUnique();
        b.Property(o => o.Tier).HasConversion<string>().HasMaxLength(16).IsRequired();
        b.Property(o => o.Status).HasConversion<string>().HasMaxLength(24).IsRequired();
        b.Property(o => o.IdempotencyKey).HasMaxLength(64);
        b.Property(o => o.RequestHash).HasMaxLength(64);
        b.Property(o => o.Channel).HasMaxLength(8).IsRequired();
        b.Property(o => o.PaymentMethod).HasMaxLength(32).IsRequired();
        b.Property(o => o.PayUrl).HasMaxLength(4000);
        b.Property(o => o.GatewayTradeNo).HasMaxLength(64);
        b.Property(o => o.GuestEmail).HasMaxLength(256);
        b.Property(o => o.LookupPasswordHash).HasMaxLength(200);
        b.Property(o => o.GuestAddress).HasMaxLength(64);
        // The lookup page finds a guest's orders by e-mail; checkout counts what an e-mail or address still has awaiting payment.
        b.HasIndex(o => new { o.GuestEmail, o.CreatedAt }).HasDatabaseName("ix_orders_guest_email").HasFilter("guest_email IS NOT NULL");
        b.HasIndex(o => o.GuestAddress).HasDatabaseName("ix_orders_guest_address_awaiting").HasFilter("guest_address IS NOT NULL AND status = 'AwaitingPayment'");
        // The payment watcher's work list: only the orders still waiting for their payment, oldest first.
        b.HasIndex(o => new { o.CreatedAt, o.Id }).HasDatabaseName("ix_orders_awaiting_payment").HasFilter("status = 'AwaitingPayment'");
        // The same key from the same buyer is the same order.
        b.HasIndex(o => new { o.UserId, o.IdempotencyKey }).IsUnique().HasFilter("idempotency_key IS NOT NULL");
        b.HasIndex(o => new { o.UserId, o.CreatedAt });
        b.HasIndex(o => new { o.ProductId, o.CreatedAt });
        // The dashboards read orders by time only: buyer, product and amount come from the index itself.
        b.HasIndex(o => o.CreatedAt).IncludeProperties(o => new { o.UserId, o.ProductId, o.Total });
        b.HasOne<ShopUser>().WithMany().HasForeignKey(o => o.UserId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Product>().WithMany().HasForeignKey(o => o.ProductId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(o => o.Items).WithOne().HasForeignKey(i => i.OrderId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(o => o.DomainEvents);
    }
}

internal sealed class OrderItemConfiguration : IEntityTypeConfiguration<OrderItem>
{
    public void Configure(EntityTypeBuilder<OrderItem> b)
    {
        b.ToTable("order_items");
        b.HasKey(i => i.Id);
        // A key belongs to one order item, ever: the last line of defence against selling it twice.
        b.HasIndex(i => i.CardKeyId).IsUnique();
        b.HasIndex(i => i.OrderId);
        b.HasOne<OrderItem>().WithMany().HasForeignKey(i => i.ReplacesItemId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<CardKey>().WithMany().HasForeignKey(i => i.CardKeyId).OnDelete(DeleteBehavior.Restrict);
    }
}
