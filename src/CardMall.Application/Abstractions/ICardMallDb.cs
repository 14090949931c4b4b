using CardMall.Application.Accounts;
using CardMall.Domain.Accounts;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Catalog;
using CardMall.Domain.Notifications;
using CardMall.Domain.Orders;
using CardMall.Domain.Risk;
using CardMall.Domain.Tickets;
using CardMall.Domain.Verification;
using CardMall.Domain.Wallets;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace CardMall.Application.Abstractions;

/// <summary>The database as handlers see it: the sets they use, nothing generic on top.</summary>
public interface ICardMallDb
{
    DbSet<ShopUser> Users { get; }
    DbSet<IdentityRole<Guid>> Roles { get; }
    DbSet<IdentityUserRole<Guid>> UserRoles { get; }
    DbSet<ApiKey> ApiKeys { get; }
    DbSet<Category> Categories { get; }
    DbSet<CardMall.Domain.KnowledgeBase.Article> Articles { get; }
    DbSet<Product> Products { get; }
    DbSet<ProductNotices> ProductNotices { get; }
    DbSet<Supplier> Suppliers { get; }
    DbSet<KeyBatch> KeyBatches { get; }
    DbSet<CardKey> CardKeys { get; }
    DbSet<CardKeyEvent> CardKeyEvents { get; }
    DbSet<Wallet> Wallets { get; }
    DbSet<LedgerEntry> LedgerEntries { get; }
    DbSet<TopUp> TopUps { get; }
    DbSet<Domain.Payments.PaymentRefund> PaymentRefunds { get; }
    DbSet<Order> Orders { get; }
    DbSet<OrderItem> OrderItems { get; }
    DbSet<Notification> Notifications { get; }
    DbSet<Ticket> Tickets { get; }
    DbSet<TicketItem> TicketItems { get; }
    DbSet<TicketMessage> TicketMessages { get; }
    DbSet<TicketAttachment> TicketAttachments { get; }
    DbSet<TicketEvent> TicketEvents { get; }
    DbSet<Payout> Payouts { get; }
    DbSet<SupplierCase> SupplierCases { get; }
    DbSet<FollowUpTask> FollowUpTasks { get; }
    DbSet<SlaPolicy> SlaPolicies { get; }
    DbSet<AgentProfile> AgentProfiles { get; }
    DbSet<DedicatedAgent> DedicatedAgents { get; }
    DbSet<ReplyTemplate> ReplyTemplates { get; }
    DbSet<OutgoingEmail> OutgoingEmails { get; }
    DbSet<KeyVerification> KeyVerifications { get; }
    DbSet<SupplierCall> SupplierCalls { get; }
    DbSet<ActivationEvent> ActivationEvents { get; }
    DbSet<RiskAlert> RiskAlerts { get; }
    DbSet<Domain.Assistant.AssistantConversation> AssistantConversations { get; }
    DbSet<Domain.Assistant.AssistantTurn> AssistantTurns { get; }
    DbSet<Domain.Chats.Chat> Chats { get; }
    DbSet<Domain.Chats.ChatMessage> ChatMessages { get; }
    DbSet<Domain.Chats.ChatAttachment> ChatAttachments { get; }
    DbSet<UserDevice> UserDevices { get; }
    DbSet<SignInFailures> SignInFailures { get; }
    DbSet<Incident> Incidents { get; }
    DbSet<IncidentTicket> IncidentTickets { get; }
    DbSet<SupplierLedgerEntry> SupplierLedgerEntries { get; }
    DbSet<WalletAdjustment> WalletAdjustments { get; }
    DbSet<Domain.Audit.AuditRecord> AuditRecords { get; }
    DbSet<Domain.Outreach.PurchaseGuideSent> PurchaseGuidesSent { get; }
    DbSet<Domain.Outreach.Greeting> Greetings { get; }

    DatabaseFacade Database { get; }

    /// <summary>The one door for row and advisory locks (ADR 0030): use cases name what they lock, never the SQL.</summary>
    IRowLocks Locks { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);

    /// <summary>Forgets every tracked entity, so a retried transaction starts from the database.</summary>
    void ResetTracking();
}
