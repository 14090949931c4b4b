using CardMall.Application.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CardMall.Infrastructure.Persistence.Configurations;

internal sealed class ShopUserConfiguration : IEntityTypeConfiguration<ShopUser>
{
    public void Configure(EntityTypeBuilder<ShopUser> b)
    {
        b.ToTable("users", t =>
        {
            t.HasCheckConstraint("ck_users_tier", "tier IN ('Regular', 'Vip', 'Reseller')");
            // Month and day, both or neither (the page and the use case say which day exists).
            t.HasCheckConstraint("ck_users_birthday", "(birth_month IS NULL) = (birth_day IS NULL) AND (birth_month IS NULL OR (birth_month BETWEEN 1 AND 12 AND birth_day BETWEEN 1 AND 31))");
        });
        b.Property(u => u.DisplayName).HasMaxLength(50).IsRequired();
        b.Property(u => u.Tier).HasConversion<string>().HasMaxLength(16).IsRequired();
        b.Property(u => u.CreatedAt).IsRequired();
        b.Property(u => u.TimeZoneId).HasMaxLength(64).IsRequired();
        b.Property(u => u.PreferredCulture).HasMaxLength(10).IsRequired();
        // The greeting pass reads the few buyers whose birthday is around today.
        b.HasIndex(u => new { u.BirthMonth, u.BirthDay }).HasDatabaseName("ix_users_birthday").HasFilter("birth_month IS NOT NULL");
    }
}

internal sealed class RoleConfiguration : IEntityTypeConfiguration<IdentityRole<Guid>>
{
    public void Configure(EntityTypeBuilder<IdentityRole<Guid>> b) => b.ToTable("roles");
}

internal sealed class UserRoleConfiguration : IEntityTypeConfiguration<IdentityUserRole<Guid>>
{
    public void Configure(EntityTypeBuilder<IdentityUserRole<Guid>> b) => b.ToTable("user_roles");
}

internal sealed class UserClaimConfiguration : IEntityTypeConfiguration<IdentityUserClaim<Guid>>
{
    public void Configure(EntityTypeBuilder<IdentityUserClaim<Guid>> b) => b.ToTable("user_claims");
}

internal sealed class UserLoginConfiguration : IEntityTypeConfiguration<IdentityUserLogin<Guid>>
{
    public void Configure(EntityTypeBuilder<IdentityUserLogin<Guid>> b) => b.ToTable("user_logins");
}

internal sealed class UserTokenConfiguration : IEntityTypeConfiguration<IdentityUserToken<Guid>>
{
    public void Configure(EntityTypeBuilder<IdentityUserToken<Guid>> b) => b.ToTable("user_tokens");
}

internal sealed class RoleClaimConfiguration : IEntityTypeConfiguration<IdentityRoleClaim<Guid>>
{
    public void Configure(EntityTypeBuilder<IdentityRoleClaim<Guid>> b) => b.ToTable("role_claims");
}
