using CardMall.Application.Abstractions;
using CardMall.Application.Features.Notifications;
using CardMall.Domain.Notifications;
using CardMall.Domain.Orders;
using CardMall.Domain.Outreach;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Outreach;

/// <summary>
/// After a purchase of a product with a guide, the buyer is sent the guide — a notice and its e-mail — once per
/// guide. Runs right after the order is saved, in checkout's transaction, so it costs checkout nothing unless the
/// product has a guide; then one insert decides (the row keyed by buyer and guide: of two orders at once, one
/// writes it and the other finds it), and only its writer sends. An order rolled back takes its notice with it.
/// </summary>
internal sealed class PushPurchaseGuide(ICardMallDb db) : INotificationHandler<DomainEventNotification<OrderCameWithGuide>>
{
    public async Task Handle(DomainEventNotification<OrderCameWithGuide> n, CancellationToken ct)
    {
        var (order, articleId) = (n.Event.Order, n.Event.GuideArticleId);
        // A guide taken offline is not pushed; it is not counted as sent either, so it goes out once it is back.
        var guide = await db.Articles.AsNoTracking().Where(a => a.Id == articleId && a.IsPublished)
            .Select(a => new { a.Slug, a.TitleZh, a.TitleEn }).FirstOrDefaultAsync(ct);
        if (guide is null) return;
        if (!await db.Locks.AddOnceAsync(new PurchaseGuideSent(order.UserId, articleId, order.Id, order.CreatedAt), ct)) return;
        // Both titles travel with the notice: each language's text picks its own ({0} Chinese, {1} English).
        db.Send(order.UserId, NotificationKind.PurchaseGuide, "/Help/" + guide.Slug, order.CreatedAt, email: true, guide.TitleZh, guide.TitleEn);
    }
}
