using System.Globalization;
using CardMall.Application.Abstractions;
using CardMall.Application.Features.Notifications;
using CardMall.Domain.Notifications;
using CardMall.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// Who hears of what happens to a ticket. The <see cref="Ticket"/> raises the events; they arrive here right after
/// the change is saved, in the same transaction, so a notice (and its e-mail in the outbox) exists exactly when the
/// change does. The buyer hears of what staff do, staff of what the buyer does, supervisors of what nobody holds.
/// </summary>
internal sealed class TicketNotices(ICardMallDb db, TicketDesk desk) :
    INotificationHandler<DomainEventNotification<TicketWasFiled>>,
    INotificationHandler<DomainEventNotification<TicketWasMoved>>,
    INotificationHandler<DomainEventNotification<StaffAnswered>>,
    INotificationHandler<DomainEventNotification<BuyerAnswered>>,
    INotificationHandler<DomainEventNotification<BuyerReopenedTicket>>,
    INotificationHandler<DomainEventNotification<TicketWasAssigned>>,
    INotificationHandler<DomainEventNotification<InternalNoteWasAdded>>,
    INotificationHandler<DomainEventNotification<BuyerUrgedTicket>>,
    INotificationHandler<DomainEventNotification<BuyerRatedTicket>>,
    INotificationHandler<DomainEventNotification<KeyWasReplaced>>,
    INotificationHandler<DomainEventNotification<PayoutWasPaid>>,
    INotificationHandler<DomainEventNotification<PayoutWasDeclined>>,
    INotificationHandler<DomainEventNotification<SlaWasBreached>>,
    INotificationHandler<DomainEventNotification<SlaWarningReached>>,
    INotificationHandler<DomainEventNotification<CheckInWasSent>>
{
    private HashSet<Guid>? _supervisors;

    /// <summary>Scores at or below this are followed up by a supervisor.</summary>
    public const int FollowUpAtOrBelow = 2;

    // "We have received your ticket" is for a buyer who wrote one; a rule that opens a case tells the buyer why itself.
    public Task Handle(DomainEventNotification<TicketWasFiled> n, CancellationToken ct)
    {
        if (n.Event.ByBuyer) desk.NotifyBuyer(n.Event.Ticket, NotificationKind.TicketCreated);
        return Task.CompletedTask;
    }

    public Task Handle(DomainEventNotification<TicketWasMoved> n, CancellationToken ct)
    {
        desk.NotifyBuyer(n.Event.Ticket, NotificationKinds.StatusNotice(n.Event.To));
        return Task.CompletedTask;
    }

    public Task Handle(DomainEventNotification<StaffAnswered> n, CancellationToken ct)
    {
        desk.NotifyBuyer(n.Event.Ticket, NotificationKind.TicketReplied);
        return Task.CompletedTask;
    }

    public async Task Handle(DomainEventNotification<BuyerAnswered> n, CancellationToken ct)
    {
        var (ticket, reopened) = (n.Event.Ticket, n.Event.Reopened);
        if (ticket.AssigneeId is { } assignee)
            desk.NotifyStaff(assignee, ticket, reopened ? NotificationKind.TicketReopened : NotificationKind.TicketBuyerReplied);
        else if (reopened)
            await desk.NotifySupervisorsAsync(ticket, NotificationKind.TicketReopened, ct);
    }

    public async Task Handle(DomainEventNotification<BuyerReopenedTicket> n, CancellationToken ct)
    {
        var ticket = n.Event.Ticket;
        if (ticket.AssigneeId is { } assignee)
            desk.NotifyStaff(assignee, ticket, NotificationKind.TicketReopened);
        else
            await desk.NotifySupervisorsAsync(ticket, NotificationKind.TicketReopened, ct);
    }

    public Task Handle(DomainEventNotification<TicketWasAssigned> n, CancellationToken ct)
    {
        var e = n.Event;
        switch (e.Way)
        {
            case AssignmentWay.Routed:
                desk.NotifyStaff(e.AgentId, e.Ticket, NotificationKind.TicketAssigned);
                break;
            case AssignmentWay.Reassigned:
                desk.NotifyStaff(e.AgentId, e.Ticket, NotificationKind.TicketReassigned);
                if (e.PreviousAgentId is { } other && other != e.ById) desk.NotifyStaff(other, e.Ticket, NotificationKind.TicketTakenOver);
                break;
            default:
                if (e.PreviousAgentId is { } previous) desk.NotifyStaff(previous, e.Ticket, NotificationKind.TicketTakenOver);
                break;
        }
        return Task.CompletedTask;
    }

    public Task Handle(DomainEventNotification<InternalNoteWasAdded> n, CancellationToken ct)
    {
        if (n.Event.Ticket.AssigneeId is { } assignee && assignee != n.Event.AuthorId)
            desk.NotifyStaff(assignee, n.Event.Ticket, NotificationKind.TicketNoteAdded);
        return Task.CompletedTask;
    }

    public async Task Handle(DomainEventNotification<BuyerUrgedTicket> n, CancellationToken ct)
    {
        var ticket = n.Event.Ticket;
        var count = n.Event.UrgeCount.ToString(CultureInfo.InvariantCulture);
        if (ticket.AssigneeId is { } assignee)
            desk.NotifyStaff(assignee, ticket, NotificationKind.TicketUrged, count);
        if (n.Event.PriorityRaised)
            await desk.NotifySupervisorsAsync(ticket, NotificationKind.TicketUrgedPriorityRaised, ct, count);
        else if (ticket.AssigneeId is null)
            // Nobody holds the ticket yet: whoever runs the queue hears the buyer instead.
            await desk.NotifySupervisorsAsync(ticket, NotificationKind.TicketUrged, ct, count);
    }

    public async Task Handle(DomainEventNotification<BuyerRatedTicket> n, CancellationToken ct)
    {
        if (n.Event.Score > FollowUpAtOrBelow) return;
        db.FollowUpTasks.Add(new FollowUpTask(n.Event.Ticket.Id, "low_rating", desk.Now));
        await desk.NotifySupervisorsAsync(n.Event.Ticket, NotificationKind.TicketLowRating, ct, n.Event.Score.ToString(CultureInfo.InvariantCulture));
    }

    // The link goes to the order the new key is on, not to the ticket.
    public Task Handle(DomainEventNotification<KeyWasReplaced> n, CancellationToken ct)
    {
        db.Send(n.Event.Ticket.BuyerId, NotificationKind.TicketKeyReplaced, "/Orders/" + n.Event.OrderNo, desk.Now, email: true, n.Event.Ticket.No, n.Event.OrderNo);
        return Task.CompletedTask;
    }

    public Task Handle(DomainEventNotification<PayoutWasPaid> n, CancellationToken ct)
    {
        var kind = n.Event.Kind == PayoutKind.Refund ? NotificationKind.TicketRefunded : NotificationKind.TicketCompensated;
        desk.NotifyBuyer(n.Event.Ticket, kind, RemedyDesk.Plain(n.Event.Amount));
        return Task.CompletedTask;
    }

    // The buyer never saw the request; they hear that money is not coming this way and that their agent will follow up.
    public Task Handle(DomainEventNotification<PayoutWasDeclined> n, CancellationToken ct)
    {
        desk.NotifyBuyer(n.Event.Ticket, NotificationKind.TicketPayoutDeclined);
        return Task.CompletedTask;
    }

    // Supervisors hear of every breach; the assignee too, unless they are one (and heard already).
    public async Task Handle(DomainEventNotification<SlaWasBreached> n, CancellationToken ct)
    {
        var ticket = n.Event.Ticket;
        await desk.NotifySupervisorsAsync(ticket, NotificationKind.SlaBreached, ct);
        if (ticket.AssigneeId is { } assignee && !(await SupervisorsAsync(ct)).Contains(assignee))
            desk.NotifyStaff(assignee, ticket, NotificationKind.SlaBreached);
    }

    // An unassigned ticket has nobody to warn yet: it waits in the queue, marked with its countdown.
    public Task Handle(DomainEventNotification<SlaWarningReached> n, CancellationToken ct)
    {
        if (n.Event.Ticket.AssigneeId is { } assignee)
            desk.NotifyStaff(assignee, n.Event.Ticket, NotificationKind.SlaWarning, ((int)Math.Round(n.Event.WarnAt * 100)).ToString(CultureInfo.InvariantCulture));
        return Task.CompletedTask;
    }

    public Task Handle(DomainEventNotification<CheckInWasSent> n, CancellationToken ct)
    {
        desk.NotifyBuyer(n.Event.Ticket, NotificationKind.TicketCheckIn);
        return Task.CompletedTask;
    }

    private async Task<HashSet<Guid>> SupervisorsAsync(CancellationToken ct) =>
        _supervisors ??= (await (from ur in db.UserRoles
                                 join r in db.Roles on ur.RoleId equals r.Id
                                 where Notify.Supervisors.Contains(r.Name!)
                                 select ur.UserId).ToListAsync(ct)).ToHashSet();
}
