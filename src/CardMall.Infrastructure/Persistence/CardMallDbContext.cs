using CardMall.Application.Abstractions;
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
using CardMall.Infrastructure.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Infrastructure.Persistence;

/// <summary>
/// The one DbContext. Its schema is created by the SQL files in Persistence/Migrations, never by EF;
/// the schema-drift test keeps the two identical.
/// </summary>
public sealed class CardMallDbContext(DbContextOptions<CardMallDbContext> options)
    : IdentityDbContext<ShopUser, IdentityRole<Guid>, Guid>(options), ICardMallDb
{
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<Category> Categories => Set<Category>();
    public DbSet<CardMall.Domain.KnowledgeBase.Article> Articles => Set<CardMall.Domain.KnowledgeBase.Article>();
    public DbSet<Product> Products => Set<Product>();
    public DbSet<ProductNotices> ProductNotices => Set<ProductNotices>();
    public DbSet<Supplier> Suppliers => Set<Supplier>();
    public DbSet<KeyBatch> KeyBatches => Set<KeyBatch>();
    public DbSet<CardKey> CardKeys => Set<CardKey>();
    public DbSet<CardKeyEvent> CardKeyEvents => Set<CardKeyEvent>();
    public DbSet<Wallet> Wallets => Set<Wallet>();
    public DbSet<LedgerEntry> LedgerEntries => Set<LedgerEntry>();
    public DbSet<TopUp> TopUps => Set<TopUp>();
    public DbSet<Domain.Payments.PaymentRefund> PaymentRefunds => Set<Domain.Payments.PaymentRefund>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<OrderItem> OrderItems => Set<OrderItem>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<Ticket> Tickets => Set<Ticket>();
    public DbSet<TicketItem> TicketItems => Set<TicketItem>();
    public DbSet<TicketMessage> TicketMessages => Set<TicketMessage>();
    public DbSet<TicketAttachment> TicketAttachments => Set<TicketAttachment>();
    public DbSet<TicketEvent> TicketEvents => Set<TicketEvent>();
    public DbSet<Payout> Payouts => Set<Payout>();
    public DbSet<SupplierCase> SupplierCases => Set<SupplierCase>();
    public DbSet<FollowUpTask> FollowUpTasks => Set<FollowUpTask>();
    public DbSet<SlaPolicy> SlaPolicies => Set<SlaPolicy>();
    public DbSet<AgentProfile> AgentProfiles => Set<AgentProfile>();
    public DbSet<DedicatedAgent> DedicatedAgents => Set<DedicatedAgent>();
    public DbSet<ReplyTemplate> ReplyTemplates => Set<ReplyTemplate>();
    public DbSet<OutgoingEmail> OutgoingEmails => Set<OutgoingEmail>();
    public DbSet<KeyVerification> KeyVerifications => Set<KeyVerification>();
    public DbSet<SupplierCall> SupplierCalls => Set<SupplierCall>();
    public DbSet<ActivationEvent> ActivationEvents => Set<ActivationEvent>();
    public DbSet<RiskAlert> RiskAlerts => Set<RiskAlert>();
    public DbSet<Domain.Assistant.AssistantConversation> AssistantConversations => Set<Domain.Assistant.AssistantConversation>();
    public DbSet<Domain.Assistant.AssistantTurn> AssistantTurns => Set<Domain.Assistant.AssistantTurn>();
    public DbSet<Domain.Chats.Chat> Chats => Set<Domain.Chats.Chat>();
    public DbSet<Domain.Chats.ChatMessage> ChatMessages => Set<Domain.Chats.ChatMessage>();
    public DbSet<Domain.Chats.ChatAttachment> ChatAttachments => Set<Domain.Chats.ChatAttachment>();
    public DbSet<UserDevice> UserDevices => Set<UserDevice>();
    public DbSet<Domain.Accounts.SignInFailures> SignInFailures => Set<Domain.Accounts.SignInFailures>();
    public DbSet<Incident> Incidents => Set<Incident>();
    public DbSet<IncidentTicket> IncidentTickets => Set<IncidentTicket>();
    public DbSet<SupplierLedgerEntry> SupplierLedgerEntries => Set<SupplierLedgerEntry>();
    public DbSet<WalletAdjustment> WalletAdjustments => Set<WalletAdjustment>();
    public DbSet<Domain.Audit.AuditRecord> AuditRecords => Set<Domain.Audit.AuditRecord>();
    public DbSet<Domain.Outreach.PurchaseGuideSent> PurchaseGuidesSent => Set<Domain.Outreach.PurchaseGuideSent>();
    public DbSet<Domain.Outreach.Greeting> Greetings => Set<Domain.Outreach.Greeting>();
    internal DbSet<Suppliers.SandboxSupplierKey> SandboxSupplierKeys => Set<Suppliers.SandboxSupplierKey>();
    internal DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    DbSet<IdentityRole<Guid>> ICardMallDb.Roles => Roles;
    DbSet<IdentityUserRole<Guid>> ICardMallDb.UserRoles => UserRoles;

    public void ResetTracking() => ChangeTracker.Clear();

    private RowLocks? locks;

    public IRowLocks Locks => locks ??= new RowLocks(this);

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(CardMallDbContext).Assembly);
        SnakeCaseNaming.Apply(builder);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Money is numeric(18,2) everywhere unless a configuration says otherwise.
        configurationBuilder.Properties<decimal>().HavePrecision(18, 2);
    }
}
