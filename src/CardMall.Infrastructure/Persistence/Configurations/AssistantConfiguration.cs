using CardMall.Application.Accounts;
using CardMall.Domain.Assistant;
using CardMall.Domain.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CardMall.Infrastructure.Persistence.Configurations;

internal sealed class AssistantConversationConfiguration : IEntityTypeConfiguration<AssistantConversation>
{
    public void Configure(EntityTypeBuilder<AssistantConversation> b)
    {
        b.ToTable("assistant_conversations");
        b.HasKey(c => c.Id);
        b.Property(c => c.Culture).HasMaxLength(10).IsRequired();
        b.HasIndex(c => c.StartedAt);
        b.HasIndex(c => c.UserId);
        b.HasOne<ShopUser>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Ticket>().WithMany().HasForeignKey(c => c.TicketId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AssistantTurnConfiguration : IEntityTypeConfiguration<AssistantTurn>
{
    public void Configure(EntityTypeBuilder<AssistantTurn> b)
    {
        b.ToTable("assistant_turns");
        b.HasKey(t => t.Id);
        b.Property(t => t.Id).UseIdentityByDefaultColumn();
        b.Property(t => t.Text).HasMaxLength(4000).IsRequired();
        b.Property(t => t.Intent).HasMaxLength(32);
        b.HasIndex(t => new { t.ConversationId, t.Id });
        b.HasOne<AssistantConversation>().WithMany().HasForeignKey(t => t.ConversationId).OnDelete(DeleteBehavior.Cascade);
    }
}
