using CardMall.Application.Accounts;
using CardMall.Domain.Chats;
using CardMall.Domain.Orders;
using CardMall.Domain.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CardMall.Infrastructure.Persistence.Configurations;

internal sealed class ChatConfiguration : IEntityTypeConfiguration<Chat>
{
    /// <summary>Chat.IsOpen as SQL (migration 0023).</summary>
    public const string OpenFilter = "status IN ('Queued', 'Offered', 'Active')";
    public const string WaitingFilter = "status IN ('Queued', 'Offered')";
    public const string HeldFilter = "status IN ('Offered', 'Active')";

    public void Configure(EntityTypeBuilder<Chat> b)
    {
        b.ToTable("chats", t => t.HasCheckConstraint("ck_chats_rating", "rating IS NULL OR rating BETWEEN 1 AND 5"));
        b.HasKey(c => c.Id);
        b.Property(c => c.Id).ValueGeneratedNever();
        b.Property(c => c.Culture).HasMaxLength(10).IsRequired();
        b.Property(c => c.Skill).HasConversion<string>().HasMaxLength(24);
        b.Property(c => c.Status).HasConversion<string>().HasMaxLength(12).IsRequired();
        b.Property(c => c.PassedOver).HasColumnType("uuid[]").IsRequired();
        b.Property(c => c.RatingComment).HasMaxLength(1000);
        b.Ignore(c => c.NewMessages);
        b.HasMany<ChatMessage>("_messages").WithOne().HasForeignKey(m => m.ChatId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(c => c.BuyerId, "ux_chats_open_per_buyer").IsUnique().HasFilter(OpenFilter);
        b.HasIndex(c => c.QueuedAt, "ix_chats_waiting").HasFilter(WaitingFilter);
        b.HasIndex(c => c.AgentId, "ix_chats_held").HasFilter(HeldFilter);
        b.HasIndex(c => new { c.AgentId, c.AcceptedAt });
        b.HasIndex(c => new { c.BuyerId, c.CreatedAt });
        b.HasIndex(c => c.CreatedAt);
        b.HasIndex(c => c.OrderId);
        b.HasIndex(c => c.TicketId);
        b.HasOne<ShopUser>().WithMany().HasForeignKey(c => c.BuyerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ShopUser>().WithMany().HasForeignKey(c => c.AgentId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Order>().WithMany().HasForeignKey(c => c.OrderId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Ticket>().WithMany().HasForeignKey(c => c.TicketId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ChatMessageConfiguration : IEntityTypeConfiguration<ChatMessage>
{
    public void Configure(EntityTypeBuilder<ChatMessage> b)
    {
        b.ToTable("chat_messages");
        b.HasKey(m => m.Id);
        b.Property(m => m.Id).UseIdentityByDefaultColumn();
        b.Property(m => m.Author).HasConversion<string>().HasMaxLength(8).IsRequired();
        b.Property(m => m.Body).HasMaxLength(ChatMessage.MaxLength).IsRequired();
        b.HasIndex(m => new { m.ChatId, m.Seq }, "ux_chat_messages_chat_id_seq").IsUnique();
        b.HasIndex(m => m.AttachmentId);
        b.HasOne<ChatAttachment>().WithMany().HasForeignKey(m => m.AttachmentId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ChatAttachmentConfiguration : IEntityTypeConfiguration<ChatAttachment>
{
    public void Configure(EntityTypeBuilder<ChatAttachment> b)
    {
        b.ToTable("chat_attachments", t => t.HasCheckConstraint("ck_chat_attachments_size", "size_bytes > 0 AND size_bytes <= 5242880"));
        b.HasKey(a => a.Id);
        b.Property(a => a.Id).ValueGeneratedNever();
        b.Property(a => a.FileName).HasMaxLength(200).IsRequired();
        b.Property(a => a.ContentType).HasMaxLength(32).IsRequired();
        b.Property(a => a.Content).IsRequired();
        b.HasIndex(a => a.ChatId);
        // The buyer's daily evidence quota counts chat images too.
        b.HasIndex(a => new { a.UploadedBy, a.CreatedAt });
        b.HasOne<Chat>().WithMany().HasForeignKey(a => a.ChatId).OnDelete(DeleteBehavior.Cascade);
    }
}
