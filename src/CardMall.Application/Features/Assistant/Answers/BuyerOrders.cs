using System.Globalization;
using CardMall.Application.Abstractions;
using CardMall.Domain.CardKeys;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Assistant.Answers;

/// <summary>The asking buyer's orders, never anybody else's, with their keys masked.</summary>
internal sealed class BuyerOrders(ICardMallDb db, ICardKeyVault vault)
{
    public sealed record Key(Guid ItemId, string Masked, CardKeyState State);

    public sealed record Order(string No, string Sku, string NameZh, string NameEn, DateTimeOffset CreatedAt, IReadOnlyList<Key> Keys)
    {
        public string Product(CultureInfo c) => c.Name.StartsWith("en", StringComparison.Ordinal) ? NameEn : NameZh;
    }

    /// <summary>The order the message names (if it is the asker's), else their latest.</summary>
    public async Task<Order?> LatestAsync(AssistantAsk ask, CancellationToken ct)
    {
        var orders = await ListAsync(ask, 1, ct);
        return orders.Count > 0 ? orders[0] : null;
    }

    /// <summary>The order the message names (if it is the asker's), else their latest <paramref name="take"/>.</summary>
    public async Task<IReadOnlyList<Order>> ListAsync(AssistantAsk ask, int take, CancellationToken ct)
    {
        var query = db.Orders.AsNoTracking().Where(o => o.UserId == ask.BuyerId);
        if (ask.OrderNo.Length > 0) query = query.Where(o => o.No == ask.OrderNo);
        var orders = await query.OrderByDescending(o => o.CreatedAt).Take(take)
            .Join(db.Products, o => o.ProductId, p => p.Id, (o, p) => new { o.Id, o.No, p.Sku, p.NameZh, p.NameEn, o.CreatedAt })
            .ToListAsync(ct);
        var ids = orders.Select(o => o.Id).ToList();
        var keys = await (from i in db.OrderItems
                          join k in db.CardKeys on i.CardKeyId equals k.Id
                          where ids.Contains(i.OrderId)
                          orderby i.CreatedAt
                          select new { i.OrderId, i.Id, Key = k }).ToListAsync(ct);
        // Masked here and never whole: the chat, its transcript and the ticket it opens must not hold a key.
        return orders.Select(o => new Order(o.No, o.Sku, o.NameZh, o.NameEn, o.CreatedAt,
            keys.Where(k => k.OrderId == o.Id).Select(k => new Key(k.Id, CardKeyMask.Mask(vault.Open(k.Key).Code), k.Key.State)).ToList())).ToList();
    }
}
