namespace CardMall.Domain.Notifications;

/// <summary>
/// Every kind of notification the shop sends, in one list. Stored by name (notifications.kind) and worded by the
/// reader's page from "Notification.{name}"; renaming a member renames a stored value, so add, never rename.
/// </summary>
public enum NotificationKind
{
    // Accounts
    ConfirmEmail,
    RegistrationAttempt,
    NewDeviceSignIn,

    // Orders and keys
    OrderMilestone,
    OrderPaid,
    OrderExpired,
    PaymentReturned,
    PaymentReturnedToWallet,
    KeyFrozenForSafety,
    KeyUnfrozen,

    // Reaching out first (主动服务, 情感触点)
    PurchaseGuide,
    BirthdayGreeting,
    SpringFestivalGreeting,
    MidAutumnGreeting,

    // Tickets: to the buyer
    TicketCreated,
    TicketReplied,
    TicketStatusNew,
    TicketStatusOpen,
    TicketStatusWaitingOnBuyer,
    TicketStatusWaitingOnSupplier,
    TicketStatusResolved,
    TicketStatusClosed,
    TicketCheckIn,
    TicketKeyReplaced,
    TicketRefunded,
    TicketCompensated,
    TicketPayoutDeclined,
    VerificationGuidance,
    VerificationPersonChecking,

    // Tickets: to staff
    TicketAssigned,
    TicketReassigned,
    TicketTakenOver,
    TicketNoteAdded,
    TicketBuyerReplied,
    TicketReopened,
    TicketUrged,
    TicketUrgedPriorityRaised,
    TicketLowRating,
    SlaWarning,
    SlaBreached,
    VerificationNeedsAgent,
    PayoutPending,
    PayoutApproved,
    PayoutDeclined,
    IncidentOpened,

    // Live chat: to staff
    ChatOfferMissed,
    ChatWaitOverTarget,
    ChatLowRating,
}

public static class NotificationKinds
{
    /// <summary>What the buyer is told when somebody else moves their ticket to <paramref name="status"/>.</summary>
    public static NotificationKind StatusNotice(Tickets.TicketStatus status) => status switch
    {
        Tickets.TicketStatus.New => NotificationKind.TicketStatusNew,
        Tickets.TicketStatus.Open => NotificationKind.TicketStatusOpen,
        Tickets.TicketStatus.WaitingOnBuyer => NotificationKind.TicketStatusWaitingOnBuyer,
        Tickets.TicketStatus.WaitingOnSupplier => NotificationKind.TicketStatusWaitingOnSupplier,
        Tickets.TicketStatus.Resolved => NotificationKind.TicketStatusResolved,
        _ => NotificationKind.TicketStatusClosed,
    };
}
