using CardMall.Application.Abstractions;
using CardMall.Domain.Catalog;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CardMall.Application.Features.Catalog;

/// <summary>A product on sale with its shelf and the notices buyers accept now.</summary>
internal sealed record ShelfProduct(Product Product, Category Category, ProductNotices Notices);

/// <summary>The shelves in display order and the products on sale in shelf order (category, price, SKU).</summary>
internal sealed record ShelvesSnapshot(IReadOnlyList<Category> Categories, IReadOnlyList<ShelfProduct> Products);

/// <summary>
/// The catalogue buyers browse — shelves, products on sale, their current notices — kept in memory per node
/// and read again after <see cref="CatalogueOptions.ShelvesMaxAge"/>: a shop has hundreds of products and
/// changes them a few times a day, while a promotion reads them thousands of times a second. An operator's
/// change forgets them on the node that made it and, once committed, on every other node (<see cref="IEveryNode"/>);
/// a node that was not told (Redis away) sees it within the age. Prices charged at checkout are always read from the
/// database.
/// </summary>
internal sealed class Shelves : INodeCache
{
    private readonly KeptFresh<ShelvesSnapshot> snapshot;
    private readonly IOptions<CatalogueOptions> options;
    private int readPrimaryNext;

    public Shelves(IServiceScopeFactory scopes, IOptions<CatalogueOptions> options)
    {
        this.options = options;
        snapshot = new(async () =>
        {
            await using var scope = scopes.CreateAsyncScope();
            // The replica may serve the shelves (they are minutes old by design), except the read right after this
            // node's own change: that one reads the primary, so an operator sees what they just saved.
            var db = Interlocked.Exchange(ref readPrimaryNext, 0) == 1
                ? scope.ServiceProvider.GetRequiredService<ICardMallDb>()
                : await scope.ServiceProvider.GetRequiredService<ILagTolerantReads>().OpenAsync(CancellationToken.None);
            var categories = await db.Categories.AsNoTracking().OrderBy(c => c.SortOrder).ThenBy(c => c.Slug).ToListAsync();
            var rows = await (from p in db.Products.Where(p => p.IsActive)
                              join c in db.Categories on p.CategoryId equals c.Id
                              join n in db.ProductNotices on new { p.Id, Version = p.NoticesVersion } equals new { Id = n.ProductId, n.Version }
                              orderby c.SortOrder, p.Price, p.Sku
                              select new { p, c, n }).AsNoTracking().ToListAsync();
            return new ShelvesSnapshot(categories, rows.Select(r => new ShelfProduct(r.p, r.c, r.n)).ToList());
        });
    }

    public ValueTask<ShelvesSnapshot> ReadAsync(CancellationToken ct) => snapshot.GetAsync(options.Value.ShelvesMaxAge, ct);

    /// <summary>An operator changed a product: the next reader on this node reads the shelves again, from the primary.</summary>
    public void Forget(Stale what)
    {
        if (what is not (Stale.Catalogue or Stale.Everything)) return;
        Volatile.Write(ref readPrimaryNext, 1);
        snapshot.Forget();
    }
}
