using CardMall.Application.Abstractions;
using CardMall.Application.Features.Notifications;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Common;
using CardMall.Domain.Notifications;
using CardMall.Domain.Tickets;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// How ticket use cases take hold of a ticket (row lock, ownership or staff role checked), and where the notice
/// handlers send the ticket's notices. What happens to a ticket is a method of the <see cref="Ticket"/> aggregate:
/// nothing here writes its timeline, messages or status.
/// </summary>
internal sealed class TicketDesk(ICardMallDb db, ICurrentUser currentUser, TimeProvider clock)
{
    /// <summary>Roles that work tickets in the agent workspace.</summary>
    public static readonly string[] WorkRoles = ShopRoles.TicketWork;

    public static string BuyerLink(string ticketNo) => "/Tickets/" + ticketNo;

    public static string StaffLink(string ticketNo) => "/Admin/Tickets/" + ticketNo;

    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>Who does what is being done: null for the shop's own background passes.</summary>
    public Guid? CallerId => currentUser.UserId;

    /// <summary>
    /// The caller's own ticket, locked for the rest of the transaction. Somebody else's ticket is
    /// indistinguishable from a missing one (404).
    /// </summary>
    public async Task<Ticket> LockOwnAsync(string ticketNo, CancellationToken ct)
    {
        var userId = currentUser.RequireUserId();
        var ticket = await db.Locks.LockAsync<Ticket, string>(x => x.No, ticketNo, ct);
        if (ticket is null || ticket.BuyerId != userId) throw new NotFoundException(AppText.Get("Tickets.NotFound"));
        return ticket;
    }

    /// <summary>
    /// A ticket locked for an agent, supervisor or admin to work on. Staff may buy keys, but nobody handles a
    /// ticket about their own purchase — no reply, note, status, claim, refund, compensation, replacement or
    /// approval — so that nobody can pay themselves (403, the ticket's existence is no secret to staff).
    /// </summary>
    public async Task<Ticket> LockForStaffAsync(string ticketNo, CancellationToken ct)
    {
        var me = currentUser.RequireAnyRole(WorkRoles);
        var ticket = await db.Locks.LockAsync<Ticket, string>(x => x.No, ticketNo, ct)
            ?? throw new NotFoundException(AppText.Get("Tickets.NotFound"));
        RequireNotOwnPurchase(ticket, me);
        return ticket;
    }

    /// <summary>Refuses staff work on the staff member's own purchase.</summary>
    public static void RequireNotOwnPurchase(Ticket ticket, Guid staffId)
    {
        if (ticket.BuyerId == staffId)
            throw new DomainRuleException(ErrorCodes.Forbidden, AppText.Get("Tickets.OwnPurchase"));
    }

    /// <summary>
    /// A ticket locked for the system's own work (verification, risk rules, incidents) — no role check:
    /// only background passes and use cases that have checked their caller call this.
    /// </summary>
    public async Task<Ticket> LockForSystemAsync(Guid ticketId, CancellationToken ct) =>
        await db.Locks.LockAsync<Ticket>(ticketId, ct)
        ?? throw new NotFoundException(AppText.Get("Tickets.NotFound"));

    /// <summary>In-app and by e-mail: nobody should have to chase their ticket.</summary>
    public void NotifyBuyer(Ticket ticket, NotificationKind kind, params string[] args) =>
        db.Send(ticket.BuyerId, kind, BuyerLink(ticket.No), Now, email: true, [ticket.No, .. args]);

    public void NotifyStaff(Guid userId, Ticket ticket, NotificationKind kind, params string[] args) =>
        db.Send(userId, kind, StaffLink(ticket.No), Now, email: false, [ticket.No, .. args]);

    public Task NotifySupervisorsAsync(Ticket ticket, NotificationKind kind, CancellationToken ct, params string[] args) =>
        db.SendToRolesAsync(Notify.Supervisors, kind, StaffLink(ticket.No), Now, email: true, ct, [ticket.No, .. args]);
}
