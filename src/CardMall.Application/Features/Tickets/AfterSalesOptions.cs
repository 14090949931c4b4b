namespace CardMall.Application.Features.Tickets;

/// <summary>
/// The after-sales rules that are settings (configuration section CardMall:AfterSales). SLA targets per
/// priority are in the database instead, because supervisors edit them on a page.
/// </summary>
public sealed class AfterSalesOptions
{
    public const string Section = "CardMall:AfterSales";

    /// <summary>What an agent may refund or compensate per ticket alone (CNY).</summary>
    public decimal AgentPayoutLimit { get; set; } = 200m;

    /// <summary>What a supervisor may refund or compensate per ticket alone; above it an Admin approves.</summary>
    public decimal SupervisorPayoutLimit { get; set; } = 2000m;

    // The per-ticket limits above also hold per order (across all of its tickets); these hold per person per
    // shop day (Beijing time), so that a limit cannot be split over many tickets or many orders. Beyond
    // either, a payout waits for approval. Admins have no limit.

    /// <summary>What one agent may pay out (refunds and compensation, at once or by approving) in one shop day.</summary>
    public decimal AgentDailyPayoutLimit { get; set; } = 1000m;

    /// <summary>What one supervisor may pay out in one shop day.</summary>
    public decimal SupervisorDailyPayoutLimit { get; set; } = 10000m;

    /// <summary>How many keys one agent may replace by hand in one shop day; beyond it a supervisor replaces.</summary>
    public int AgentDailyReplacementLimit { get; set; } = 20;

    /// <summary>How many keys one supervisor may replace by hand in one shop day; beyond it an Admin replaces.</summary>
    public int SupervisorDailyReplacementLimit { get; set; } = 100;

    public TimeSpan UrgeInterval { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan ReopenWindow { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan AutoCloseAfter { get; set; } = TimeSpan.FromDays(3);

    /// <summary>A resolved ticket with no word from the buyer gets a check-in after this.</summary>
    public TimeSpan CheckInAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Buyers this new get one dedicated agent (一对一售后管家).</summary>
    public TimeSpan NewBuyerPeriod { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a supplier has to answer a case.</summary>
    public TimeSpan SupplierCaseDue { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The share of an SLA target after which the assignee is warned.</summary>
    public double WarnAt { get; set; } = 0.8;

    public TimeSpan WatchInterval { get; set; } = TimeSpan.FromSeconds(30);

    public int MaxAttachments { get; set; } = 5;

    /// <summary>Evidence images one buyer may upload within 24 hours, across all tickets and replies.</summary>
    public int EvidenceImagesPerDay { get; set; } = 30;

    /// <summary>Evidence bytes one buyer may upload within 24 hours (default 50 MB).</summary>
    public long EvidenceBytesPerDay { get; set; } = 50L * 1024 * 1024;

    /// <summary>Largest evidence image a buyer may attach; at most <see cref="StoredAttachmentLimit"/>.</summary>
    public int MaxAttachmentBytes { get; set; } = StoredAttachmentLimit;

    /// <summary>
    /// The largest image the database keeps (check ck_ticket_attachments_size, migration 0006). A setting above
    /// it would let an upload through the form only to fail at the database, so the shop refuses to start with one.
    /// </summary>
    public const int StoredAttachmentLimit = 5 * 1024 * 1024;
}
