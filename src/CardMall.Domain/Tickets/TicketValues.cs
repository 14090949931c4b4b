namespace CardMall.Domain.Tickets;

/// <summary>What the buyer says is wrong. The API writes these in snake_case (key_invalid …).</summary>
public enum TicketCategory
{
    KeyInvalid = 0,
    KeyAlreadyUsed = 1,
    ActivationFailed = 2,
    WrongRegion = 3,
    NotReceived = 4,
    AccountAbnormal = 5,
    RefundRequest = 6,
    Other = 7,
}

public enum TicketStatus
{
    New = 0,
    Open = 1,
    WaitingOnBuyer = 2,
    WaitingOnSupplier = 3,
    Resolved = 4,
    Closed = 5,
}

/// <summary>Ordered: a higher value is more pressing.</summary>
public enum TicketPriority
{
    Low = 0,
    Normal = 1,
    High = 2,
    Urgent = 3,
}

/// <summary>Who was responsible for the problem (责任界定).</summary>
public enum Responsibility
{
    Buyer = 0,
    Merchant = 1,
    Platform = 2,
    Supplier = 3,
}

/// <summary>Why it happened (归因), from a fixed list so the dashboards can count it.</summary>
public enum RootCause
{
    KeyDefective = 0,
    KeyUsedBeforeDelivery = 1,
    KeyLeakedAfterDelivery = 2,
    UserError = 3,
    RegionMismatch = 4,
    SupplierApiFailure = 5,
    PlatformFault = 6,
    Other = 7,
}

/// <summary>What the buyer got in the end.</summary>
public enum TicketResolution
{
    Replaced = 0,
    Refunded = 1,
    PartiallyRefunded = 2,
    Compensated = 3,
    GuidanceGiven = 4,
    Rejected = 5,
}

public static class TicketPriorities
{
    public static TicketPriority Raise(this TicketPriority p) => p == TicketPriority.Urgent ? p : p + 1;
}
