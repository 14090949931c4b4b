using CardMall.Domain.Catalog;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CardMall.Infrastructure.Persistence.Configurations;

internal sealed class CategoryConfiguration : IEntityTypeConfiguration<Category>
{
    public void Configure(EntityTypeBuilder<Category> b)
    {
        b.ToTable("categories");
        b.HasKey(c => c.Id);
        b.Property(c => c.Slug).HasMaxLength(64).IsRequired();
        b.Property(c => c.NameZh).HasMaxLength(100).IsRequired();
        b.Property(c => c.NameEn).HasMaxLength(100).IsRequired();
        b.HasIndex(c => c.Slug).IsUnique();
    }
}
