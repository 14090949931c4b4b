using CardMall.Application.Accounts;
using CardMall.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CardMall.Infrastructure.Persistence.Configurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.ToTable("api_keys");
        b.HasKey(k => k.Id);
        b.Property(k => k.Name).HasMaxLength(60).IsRequired();
        b.Property(k => k.Hint).HasMaxLength(16).IsRequired();
        b.Property(k => k.KeyHash).HasMaxLength(64).IsRequired();
        b.HasIndex(k => k.KeyHash).IsUnique();
        b.HasIndex(k => k.UserId);
        b.HasOne<ShopUser>().WithMany().HasForeignKey(k => k.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
