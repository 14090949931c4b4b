using CardMall.Application.Accounts;
using CardMall.Domain.KnowledgeBase;
using CardMall.Domain.Orders;
using CardMall.Domain.Outreach;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CardMall.Infrastructure.Persistence.Configurations;

internal sealed class PurchaseGuideSentConfiguration : IEntityTypeConfiguration<PurchaseGuideSent>
{
    public void Configure(EntityTypeBuilder<PurchaseGuideSent> b)
    {
        b.ToTable("purchase_guides_sent");
        // Once per buyer and guide, however many orders race (migration 0024).
        b.HasKey(g => new { g.UserId, g.ArticleId });
        b.HasOne<ShopUser>().WithMany().HasForeignKey(g => g.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Article>().WithMany().HasForeignKey(g => g.ArticleId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Order>().WithMany().HasForeignKey(g => g.OrderId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class GreetingConfiguration : IEntityTypeConfiguration<Greeting>
{
    public void Configure(EntityTypeBuilder<Greeting> b)
    {
        b.ToTable("greetings", t => t.HasCheckConstraint("ck_greetings_occasion", "occasion IN ('Birthday', 'SpringFestival', 'MidAutumn')"));
        // At most one greeting a day per buyer, whatever the occasions and however many nodes greet.
        b.HasKey(g => new { g.UserId, g.Day });
        b.Property(g => g.Occasion).HasConversion<string>().HasMaxLength(16).IsRequired();
        b.HasOne<ShopUser>().WithMany().HasForeignKey(g => g.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
