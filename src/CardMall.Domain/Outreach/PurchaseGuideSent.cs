namespace CardMall.Domain.Outreach;

/// <summary>
/// A product's guide (a knowledge-base article, e.g. 会员账号安全设置指南) pushed to a buyer after a purchase.
/// One row per buyer and guide — the primary key — so a buyer who buys the product again, or twice at the same
/// moment, is sent it once: the row is written with INSERT … ON CONFLICT DO NOTHING and only its writer sends.
/// </summary>
public sealed class PurchaseGuideSent
{
    private PurchaseGuideSent() { }

    public PurchaseGuideSent(Guid userId, Guid articleId, Guid orderId, DateTimeOffset now)
    {
        UserId = userId;
        ArticleId = articleId;
        OrderId = orderId;
        SentAt = now;
    }

    public Guid UserId { get; private set; }
    public Guid ArticleId { get; private set; }
    /// <summary>The order that brought the guide (the first one with it).</summary>
    public Guid OrderId { get; private set; }
    public DateTimeOffset SentAt { get; private set; }
}
