using CardMall.Application.Abstractions;
using CardMall.Application.Features.Notifications;
using CardMall.Application.Features.Tickets;
using CardMall.Domain.Notifications;
using CardMall.Domain.Risk;
using CardMall.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Verification;

/// <summary>
/// Who hears of a key check's outcome (raised by <see cref="Ticket.ApplyVerification"/>, handled after save in the same
/// transaction): the buyer that a person is checking (in-app; the message on the ticket says the rest) or that guidance
/// is waiting (with an e-mail), the assignee that a check needs them, and risk that a supplier's interface failed.
/// </summary>
internal sealed class VerificationNotices(ICardMallDb db, TicketDesk desk) :
    INotificationHandler<DomainEventNotification<VerificationNeedsPerson>>,
    INotificationHandler<DomainEventNotification<VerificationSentGuidance>>,
    INotificationHandler<DomainEventNotification<SupplierWasUnreachable>>
{
    public const string InterfaceAnomaly = "interface_anomaly";

    public Task Handle(DomainEventNotification<VerificationNeedsPerson> n, CancellationToken ct)
    {
        var ticket = n.Event.Ticket;
        db.Send(ticket.BuyerId, NotificationKind.VerificationPersonChecking, TicketDesk.BuyerLink(ticket.No), desk.Now, email: false, ticket.No);
        if (ticket.AssigneeId is { } assignee && assignee != n.Event.RunById) desk.NotifyStaff(assignee, ticket, NotificationKind.VerificationNeedsAgent);
        return Task.CompletedTask;
    }

    public Task Handle(DomainEventNotification<VerificationSentGuidance> n, CancellationToken ct)
    {
        desk.NotifyBuyer(n.Event.Ticket, NotificationKind.VerificationGuidance);
        return Task.CompletedTask;
    }

    public async Task Handle(DomainEventNotification<SupplierWasUnreachable> n, CancellationToken ct)
    {
        var failed = await (from v in db.KeyVerifications
                            join k in db.CardKeys on v.CardKeyId equals k.Id
                            join b in db.KeyBatches on k.BatchId equals b.Id
                            join s in db.Suppliers on b.SupplierId equals s.Id
                            where v.Id == n.Event.VerificationId
                            select new { v.CardKeyId, v.SupplierError, s.Name, s.Code }).FirstAsync(ct);
        db.RiskAlerts.Add(new RiskAlert(InterfaceAnomaly, $"{failed.Name} ({failed.Code}): {failed.SupplierError ?? "unreachable"}",
            failed.CardKeyId, n.Event.Ticket.Id, null, desk.Now));
    }
}
