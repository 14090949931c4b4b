using CardMall.Application.Accounts;
using CardMall.Domain.KnowledgeBase;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CardMall.Infrastructure.Persistence.Configurations;

internal sealed class ArticleConfiguration : IEntityTypeConfiguration<Article>
{
    public void Configure(EntityTypeBuilder<Article> b)
    {
        b.ToTable("articles", t =>
        {
            t.HasCheckConstraint("ck_articles_kind", "kind IN ('Tutorial', 'Faq', 'Policy')");
            // The slug is a URL segment: the database refuses what the validator refuses.
            t.HasCheckConstraint("ck_articles_slug", "slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'");
        });
        b.HasKey(a => a.Id);
        b.Property(a => a.Slug).HasMaxLength(Article.SlugMaxLength).IsRequired();
        b.Property(a => a.Kind).HasConversion<string>().HasMaxLength(16).IsRequired();
        b.Property(a => a.TitleZh).HasMaxLength(Article.TitleMaxLength).IsRequired();
        b.Property(a => a.TitleEn).HasMaxLength(Article.TitleMaxLength).IsRequired();
        b.Property(a => a.BodyZh).IsRequired();
        b.Property(a => a.BodyEn).IsRequired();
        // No foreign key to products: a tutorial may be written before its product is listed.
        b.Property(a => a.ProductSku).HasMaxLength(Article.ProductSkuMaxLength);
        b.HasIndex(a => a.Slug).IsUnique();
        b.HasIndex(a => a.ProductSku);
        b.HasOne<ShopUser>().WithMany().HasForeignKey(a => a.UpdatedByUserId).OnDelete(DeleteBehavior.Restrict);
    }
}
