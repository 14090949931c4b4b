using CardMall.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CardMall.Infrastructure.Persistence.Configurations;

internal sealed class SignInFailuresConfiguration : IEntityTypeConfiguration<SignInFailures>
{
    public void Configure(EntityTypeBuilder<SignInFailures> b)
    {
        b.ToTable("sign_in_failures");
        b.HasKey(f => new { f.Account, f.Source });
        b.Property(f => f.Account).HasMaxLength(256);
        b.Property(f => f.Source).HasMaxLength(64);
        b.HasIndex(f => f.LastFailedAt);
    }
}
