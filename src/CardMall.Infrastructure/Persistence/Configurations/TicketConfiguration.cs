using CardMall.Application.Accounts;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Notifications;
using CardMall.Domain.Orders;
using CardMall.Domain.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CardMall.Infrastructure.Persistence.Configurations;

internal sealed class TicketConfiguration : IEntityTypeConfiguration<Ticket>
{
    /// <summary>TicketLifecycle.ActiveStatuses as SQL (migration 0020).</summary>
    private const string ActiveFilter = "status IN ('New', 'Open', 'WaitingOnBuyer', 'WaitingOnSupplier')";

    public void Configure(EntityTypeBuilder<Ticket> b)
    {
        b.ToTable("tickets", t =>
        {
            t.HasCheckConstraint("ck_tickets_rating", "rating IS NULL OR rating BETWEEN 1 AND 5");
            t.HasCheckConstraint("ck_tickets_targets", "first_response_target_minutes > 0 AND resolution_target_minutes > 0 AND paused_seconds >= 0");
        });
        b.HasKey(t => t.Id);
        b.Property(t => t.No).HasMaxLength(24).IsRequired();
        b.HasIndex(t => t.No).IsUnique();
        b.Property(t => t.Category).HasConversion<string>().HasMaxLength(24).IsRequired();
        b.Property(t => t.Status).HasConversion<string>().HasMaxLength(24).IsRequired();
        b.Property(t => t.Priority).HasConversion<string>().HasMaxLength(12).IsRequired();
        b.Property(t => t.Responsibility).HasConversion<string>().HasMaxLength(12);
        b.Property(t => t.RootCause).HasConversion<string>().HasMaxLength(32);
        b.Property(t => t.Resolution).HasConversion<string>().HasMaxLength(24);
        b.Property(t => t.ResolutionNote).HasMaxLength(1000);
        b.Property(t => t.Description).HasMaxLength(4000).IsRequired();
        b.Property(t => t.Device).HasMaxLength(200);
        b.Property(t => t.Channel).HasMaxLength(12).IsRequired();
        b.Property(t => t.RatingComment).HasMaxLength(1000);
        b.HasIndex(t => new { t.BuyerId, t.CreatedAt });
        b.HasIndex(t => new { t.AssigneeId, t.Status });
        b.HasIndex(t => new { t.Status, t.ResolutionDueAt });
        // The agents' queue and its counts: the tickets that are still somebody's work, a few hundred of a year's tickets.
        b.HasIndex(t => t.Status, "ix_tickets_active").HasFilter(ActiveFilter);
        b.HasIndex(t => t.OrderId);
        // Dashboards: tickets by filing time, ratings by the time they were given.
        b.HasIndex(t => t.CreatedAt);
        b.HasIndex(t => t.RatedAt).HasFilter("rated_at IS NOT NULL");
        b.HasOne<ShopUser>().WithMany().HasForeignKey(t => t.BuyerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ShopUser>().WithMany().HasForeignKey(t => t.AssigneeId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Order>().WithMany().HasForeignKey(t => t.OrderId).OnDelete(DeleteBehavior.Restrict);

        // What the aggregate appends (messages, evidence, timeline) is inserted with it; loading a ticket loads none of it.
        b.HasMany(t => t.Messages).WithOne().HasForeignKey(m => m.TicketId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(t => t.Attachments).WithOne().HasForeignKey(a => a.TicketId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(t => t.Events).WithOne().HasForeignKey(e => e.TicketId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(t => t.Messages).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Navigation(t => t.Attachments).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Navigation(t => t.Events).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Ignore(t => t.DomainEvents);
    }
}

internal sealed class TicketItemConfiguration : IEntityTypeConfiguration<TicketItem>
{
    public void Configure(EntityTypeBuilder<TicketItem> b)
    {
        b.ToTable("ticket_items");
        b.HasKey(i => new { i.TicketId, i.OrderItemId });
        b.HasIndex(i => i.OrderItemId);
        b.HasOne<Ticket>().WithMany().HasForeignKey(i => i.TicketId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Order>().WithMany().HasForeignKey(i => i.OrderId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<OrderItem>().WithMany().HasForeignKey(i => i.OrderItemId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TicketMessageConfiguration : IEntityTypeConfiguration<TicketMessage>
{
    public void Configure(EntityTypeBuilder<TicketMessage> b)
    {
        b.ToTable("ticket_messages");
        b.HasKey(m => m.Id);
        b.Property(m => m.Author).HasConversion<string>().HasMaxLength(8).IsRequired();
        b.Property(m => m.Body).HasMaxLength(8000).IsRequired();
        // Set by the domain (time-ordered): a message appended to a loaded ticket is new, never an update.
        b.Property(m => m.Id).ValueGeneratedNever();
        b.HasIndex(m => new { m.TicketId, m.CreatedAt });
    }
}

internal sealed class TicketAttachmentConfiguration : IEntityTypeConfiguration<TicketAttachment>
{
    public void Configure(EntityTypeBuilder<TicketAttachment> b)
    {
        b.ToTable("ticket_attachments", t => t.HasCheckConstraint("ck_ticket_attachments_size", "size_bytes > 0 AND size_bytes <= 5242880"));
        b.HasKey(a => a.Id);
        b.Property(a => a.FileName).HasMaxLength(200).IsRequired();
        b.Property(a => a.ContentType).HasMaxLength(32).IsRequired();
        b.Property(a => a.Content).IsRequired();
        b.HasIndex(a => a.TicketId);
        // The buyer's daily evidence quota counts their recent uploads.
        b.HasIndex(a => new { a.UploadedBy, a.CreatedAt });
        b.Property(a => a.Id).ValueGeneratedNever();
        b.HasOne<TicketMessage>().WithMany().HasForeignKey(a => a.MessageId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TicketEventConfiguration : IEntityTypeConfiguration<TicketEvent>
{
    public void Configure(EntityTypeBuilder<TicketEvent> b)
    {
        b.ToTable("ticket_events");
        b.HasKey(e => e.Id);
        b.Property(e => e.Id).UseIdentityByDefaultColumn();
        b.Property(e => e.Kind).HasMaxLength(32).IsRequired();
        b.Property(e => e.Detail).HasMaxLength(500);
        b.HasIndex(e => new { e.TicketId, e.Id });
        // Keys one person replaced by hand today (the daily replacement limit).
        b.HasIndex(e => new { e.ActorId, e.At }).HasFilter("kind = 'key_replaced'");
    }
}

internal sealed class PayoutConfiguration : IEntityTypeConfiguration<Payout>
{
    public void Configure(EntityTypeBuilder<Payout> b)
    {
        b.ToTable("payouts", t => t.HasCheckConstraint("ck_payouts_amount", "amount > 0"));
        b.HasKey(p => p.Id);
        b.Property(p => p.Kind).HasConversion<string>().HasMaxLength(16).IsRequired();
        b.Property(p => p.Status).HasConversion<string>().HasMaxLength(12).IsRequired();
        b.Property(p => p.Amount).HasPrecision(18, 2);
        b.Property(p => p.Reason).HasMaxLength(500).IsRequired();
        b.Property(p => p.RequestKey).HasMaxLength(64).IsRequired();
        b.Property(p => p.DecisionNote).HasMaxLength(500);
        // One form, one payout: a double click or five concurrent posts carry the same key.
        b.HasIndex(p => new { p.TicketId, p.RequestKey }).IsUnique();
        b.HasIndex(p => p.Status).HasFilter("status = 'Pending'");
        // Dashboards: money paid out by the time it was paid.
        b.HasIndex(p => p.DecidedAt).HasFilter("status = 'Paid'");
        // What one person paid out today (the daily payout limit).
        b.HasIndex(p => new { p.DecidedBy, p.DecidedAt }).HasFilter("status = 'Paid'");
        b.HasOne<Ticket>().WithMany().HasForeignKey(p => p.TicketId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Order>().WithMany().HasForeignKey(p => p.OrderId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SupplierCaseConfiguration : IEntityTypeConfiguration<SupplierCase>
{
    public void Configure(EntityTypeBuilder<SupplierCase> b)
    {
        b.ToTable("supplier_cases");
        b.HasKey(c => c.Id);
        b.Property(c => c.Question).HasMaxLength(2000).IsRequired();
        b.Property(c => c.Reply).HasMaxLength(2000);
        b.HasIndex(c => c.TicketId);
        b.HasIndex(c => new { c.SupplierId, c.OpenedAt });
        b.HasOne<Ticket>().WithMany().HasForeignKey(c => c.TicketId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Supplier>().WithMany().HasForeignKey(c => c.SupplierId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class FollowUpTaskConfiguration : IEntityTypeConfiguration<FollowUpTask>
{
    public void Configure(EntityTypeBuilder<FollowUpTask> b)
    {
        // A ticket's follow-up or a chat's (migration 0025), never both, never neither.
        b.ToTable("follow_up_tasks", t => t.HasCheckConstraint("ck_follow_up_tasks_one_subject", "(ticket_id IS NULL) <> (chat_id IS NULL)"));
        b.HasKey(f => f.Id);
        b.Property(f => f.Reason).HasMaxLength(32).IsRequired();
        b.Property(f => f.Note).HasMaxLength(1000);
        b.HasIndex(f => f.TicketId);
        b.HasIndex(f => f.ChatId);
        b.HasOne<Ticket>().WithMany().HasForeignKey(f => f.TicketId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<CardMall.Domain.Chats.Chat>().WithMany().HasForeignKey(f => f.ChatId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SlaPolicyConfiguration : IEntityTypeConfiguration<SlaPolicy>
{
    public void Configure(EntityTypeBuilder<SlaPolicy> b)
    {
        b.ToTable("sla_policies", t => t.HasCheckConstraint("ck_sla_policies_minutes", "first_response_minutes > 0 AND resolution_minutes >= first_response_minutes"));
        b.HasKey(p => p.Priority);
        b.Property(p => p.Priority).HasConversion<string>().HasMaxLength(12);
    }
}

internal sealed class AgentProfileConfiguration : IEntityTypeConfiguration<AgentProfile>
{
    public void Configure(EntityTypeBuilder<AgentProfile> b)
    {
        b.ToTable("agent_profiles");
        b.HasKey(a => a.UserId);
        // Skills are category names; a text[] keeps "who can take key_invalid?" one indexed query.
        b.Property(a => a.Skills).HasConversion(
                v => v.Select(c => c.ToString()).ToArray(),
                v => v.Select(Enum.Parse<TicketCategory>).ToList(),
                new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<List<TicketCategory>>(
                    (x, y) => x!.SequenceEqual(y!), v => v.Aggregate(0, (h, c) => HashCode.Combine(h, c)), v => v.ToList()))
            .HasColumnType("text[]").IsRequired();
        b.Property(a => a.Availability).HasConversion<string>().HasMaxLength(12).HasDefaultValue(Domain.Chats.AgentAvailability.Offline).IsRequired();
        b.Property(a => a.ChatLimit).HasDefaultValue(AgentProfile.DefaultChatLimit);
        b.ToTable(t => t.HasCheckConstraint("ck_agent_profiles_chat_limit", "chat_limit BETWEEN 1 AND 10"));
        b.HasOne<ShopUser>().WithOne().HasForeignKey<AgentProfile>(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DedicatedAgentConfiguration : IEntityTypeConfiguration<DedicatedAgent>
{
    public void Configure(EntityTypeBuilder<DedicatedAgent> b)
    {
        b.ToTable("dedicated_agents");
        b.HasKey(d => d.BuyerId);
        b.HasIndex(d => d.AgentId);
        b.HasOne<ShopUser>().WithOne().HasForeignKey<DedicatedAgent>(d => d.BuyerId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<ShopUser>().WithMany().HasForeignKey(d => d.AgentId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ReplyTemplateConfiguration : IEntityTypeConfiguration<ReplyTemplate>
{
    public void Configure(EntityTypeBuilder<ReplyTemplate> b)
    {
        b.ToTable("reply_templates");
        b.HasKey(t => t.Id);
        b.Property(t => t.Title).HasMaxLength(100).IsRequired();
        b.Property(t => t.Category).HasConversion<string>().HasMaxLength(24);
        b.Property(t => t.BodyZh).HasMaxLength(4000).IsRequired();
        b.Property(t => t.BodyEn).HasMaxLength(4000).IsRequired();
    }
}

internal sealed class OutgoingEmailConfiguration : IEntityTypeConfiguration<OutgoingEmail>
{
    public void Configure(EntityTypeBuilder<OutgoingEmail> b)
    {
        b.ToTable("outgoing_emails");
        b.HasKey(e => e.Id);
        b.Property(e => e.LastError).HasMaxLength(500);
        b.HasIndex(e => e.NextAttemptAt).HasFilter("sent_at IS NULL AND gave_up_at IS NULL");
        b.HasOne<Notification>().WithMany().HasForeignKey(e => e.NotificationId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<ShopUser>().WithMany().HasForeignKey(e => e.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
