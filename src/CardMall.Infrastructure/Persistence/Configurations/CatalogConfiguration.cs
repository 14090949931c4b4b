using CardMall.Domain.Catalog;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CardMall.Infrastructure.Persistence.Configurations;

internal sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> b)
    {
        b.ToTable("products", t =>
        {
            t.HasCheckConstraint("ck_products_prices", "price > 0 AND face_value >= 0 AND (vip_price IS NULL OR vip_price > 0) AND (reseller_price IS NULL OR reseller_price > 0)");
            t.HasCheckConstraint("ck_products_limits", "min_per_order >= 1 AND max_per_order >= min_per_order AND (max_per_buyer_per_day IS NULL OR max_per_buyer_per_day >= 1)");
        });
        b.HasKey(p => p.Id);
        b.Property(p => p.Sku).HasMaxLength(64).IsRequired();
        b.HasIndex(p => p.Sku).IsUnique();
        b.Property(p => p.NameZh).HasMaxLength(200).IsRequired();
        b.Property(p => p.NameEn).HasMaxLength(200).IsRequired();
        b.Property(p => p.DescriptionZh).IsRequired();
        b.Property(p => p.DescriptionEn).IsRequired();
        b.Property(p => p.Regions).HasMaxLength(200).IsRequired();
        b.HasOne<Category>().WithMany().HasForeignKey(p => p.CategoryId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(p => p.CategoryId);
        // A guide that is deleted stops being pushed; the product stays.
        b.HasOne<Domain.KnowledgeBase.Article>().WithMany().HasForeignKey(p => p.GuideArticleId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class ProductNoticesConfiguration : IEntityTypeConfiguration<ProductNotices>
{
    public void Configure(EntityTypeBuilder<ProductNotices> b)
    {
        b.ToTable("product_notices");
        b.HasKey(n => new { n.ProductId, n.Version });
        b.Property(n => n.Regions).HasMaxLength(200).IsRequired();
        b.Property(n => n.RefundPolicyZh).IsRequired();
        b.Property(n => n.RefundPolicyEn).IsRequired();
        b.HasOne<Product>().WithMany().HasForeignKey(n => n.ProductId).OnDelete(DeleteBehavior.Cascade);
    }
}
