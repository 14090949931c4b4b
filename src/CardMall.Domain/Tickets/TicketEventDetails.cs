using System.Globalization;

namespace CardMall.Domain.Tickets;

/// <summary>
/// What a timeline event says beyond its kind, as a typed value. The ticket_events.detail column keeps the short
/// stable text it always held ("Refund:12.50", an ISO date, an enum name), so rows written before these types
/// read back the same; <see cref="Read"/> is the only place that text is parsed, and pages word the typed value.
/// </summary>
public abstract record TicketEventDetail
{
    /// <summary>The stored form: machine words and invariant numbers, never a key and never worded text.</summary>
    public abstract string Stored { get; }

    /// <summary>The typed detail of a stored event; text that no longer fits its kind comes back as <see cref="TextDetail"/>.</summary>
    public static TicketEventDetail? Read(string kind, string? stored)
    {
        if (stored is null) return null;
        TicketEventDetail? typed = kind switch
        {
            TicketEventKinds.Created when Enum.TryParse<TicketCategory>(stored, out var c) => new CategoryDetail(c),
            TicketEventKinds.StatusChanged when Enum.TryParse<TicketStatus>(stored, out var s) => new StatusDetail(s),
            TicketEventKinds.PriorityChanged when Enum.TryParse<TicketPriority>(stored, out var p) => new PriorityDetail(p),
            TicketEventKinds.Resolved when Enum.TryParse<TicketResolution>(stored, out var r) => new ResolutionDetail(r),
            TicketEventKinds.Assigned when Guid.TryParse(stored, out var agent) => new AssigneeDetail(agent),
            TicketEventKinds.Urged or TicketEventKinds.EvidenceAdded or TicketEventKinds.Rated
                when int.TryParse(stored, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => new CountDetail(n),
            TicketEventKinds.Refunded or TicketEventKinds.Compensated
                when decimal.TryParse(stored, NumberStyles.Number, CultureInfo.InvariantCulture, out var paid) => new AmountDetail(paid),
            TicketEventKinds.RefundRequested or TicketEventKinds.RefundDeclined => PayoutDetail.Read(stored),
            TicketEventKinds.EscalatedToSupplier
                when DateTimeOffset.TryParse(stored, CultureInfo.InvariantCulture, DateTimeStyles.None, out var due) => new SupplierDueDetail(due),
            TicketEventKinds.SlaWarning or TicketEventKinds.SlaBreached => SlaClockDetail.Read(stored),
            TicketEventKinds.KeyReplaced => new OrderDetail(stored),
            TicketEventKinds.Reopened when stored == ReopenedByReplyDetail.Word => new ReopenedByReplyDetail(),
            TicketEventKinds.Verified => new VerificationDetail(stored),
            TicketEventKinds.IncidentLinked => new IncidentDetail(stored),
            _ => null,
        };
        return typed ?? new TextDetail(stored);
    }
}

/// <summary>What the buyer said was wrong when the ticket was filed.</summary>
public sealed record CategoryDetail(TicketCategory Category) : TicketEventDetail
{
    public override string Stored => Category.ToString();
}

/// <summary>The status the ticket moved to.</summary>
public sealed record StatusDetail(TicketStatus Status) : TicketEventDetail
{
    public override string Stored => Status.ToString();
}

public sealed record PriorityDetail(TicketPriority Priority) : TicketEventDetail
{
    public override string Stored => Priority.ToString();
}

/// <summary>What the buyer got in the end.</summary>
public sealed record ResolutionDetail(TicketResolution Resolution) : TicketEventDetail
{
    public override string Stored => Resolution.ToString();
}

/// <summary>Who holds the ticket now; staff pages show the name.</summary>
public sealed record AssigneeDetail(Guid AgentId) : TicketEventDetail
{
    public override string Stored => AgentId.ToString();
}

/// <summary>A number: the how-many-th urge, how many evidence images, the buyer's score.</summary>
public sealed record CountDetail(int Count) : TicketEventDetail
{
    public override string Stored => Count.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Money paid into the buyer's wallet.</summary>
public sealed record AmountDetail(decimal Amount) : TicketEventDetail
{
    public override string Stored => Amount.ToString("0.00", CultureInfo.InvariantCulture);
}

/// <summary>A payout asked for or declined: which kind, and how much ("Refund:12.50").</summary>
public sealed record PayoutDetail(PayoutKind Kind, decimal Amount) : TicketEventDetail
{
    public override string Stored => $"{Kind}:{Amount.ToString("0.00", CultureInfo.InvariantCulture)}";

    internal static TicketEventDetail? Read(string stored) =>
        stored.Split(':') is [var kind, var sum] && Enum.TryParse<PayoutKind>(kind, out var k)
            && decimal.TryParse(sum, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount)
            ? new PayoutDetail(k, amount) : null;
}

/// <summary>When the supplier is due to answer an escalation.</summary>
public sealed record SupplierDueDetail(DateTimeOffset DueAt) : TicketEventDetail
{
    public override string Stored => DueAt.ToString("O", CultureInfo.InvariantCulture);
}

public enum SlaClock
{
    FirstResponse,
    Resolution,
}

/// <summary>Which of the two SLA clocks warned or was breached.</summary>
public sealed record SlaClockDetail(SlaClock Clock) : TicketEventDetail
{
    public override string Stored => Clock == SlaClock.FirstResponse ? "first_response" : "resolution";

    internal static TicketEventDetail? Read(string stored) => stored switch
    {
        "first_response" => new SlaClockDetail(SlaClock.FirstResponse),
        "resolution" => new SlaClockDetail(SlaClock.Resolution),
        _ => null,
    };
}

/// <summary>The order a replacement key was delivered on.</summary>
public sealed record OrderDetail(string OrderNo) : TicketEventDetail
{
    public override string Stored => OrderNo;
}

/// <summary>The buyer reopened the ticket by replying to it (rather than with the reopen button).</summary>
public sealed record ReopenedByReplyDetail : TicketEventDetail
{
    public const string Word = "reply";

    public override string Stored => Word;
}

/// <summary>The buyer-safe result of a key check: replaced, guidance or person_checking.</summary>
public sealed record VerificationDetail(string Result) : TicketEventDetail
{
    public override string Stored => Result;
}

/// <summary>The batch incident the ticket joined (staff only).</summary>
public sealed record IncidentDetail(string IncidentNo) : TicketEventDetail
{
    public override string Stored => IncidentNo;
}

/// <summary>Stored text that fits no type of its kind (shown as it is, as before).</summary>
public sealed record TextDetail(string Text) : TicketEventDetail
{
    public override string Stored => Text;
}
