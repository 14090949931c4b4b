namespace CardMall.Application.Features.Catalog;

/// <summary>Settings of the catalogue's caches (section CardMall:Catalogue).</summary>
public sealed class CatalogueOptions
{
    public const string Section = "CardMall:Catalogue";

    /// <summary>How old the stock levels on catalogue pages and in the products API may be. Zero reads them on every request.</summary>
    public TimeSpan StockMaxAge { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the products, categories and notices buyers browse are kept in memory before they are read again;
    /// an operator's change on this node is seen at once. Zero reads them on every request.</summary>
    public TimeSpan ShelvesMaxAge { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long an anonymous visitor's catalogue page (home, category, product, search, help) is served from
    /// the output cache. With <see cref="StockMaxAge"/> it bounds how late a page shows a change of stock:
    /// one second each keeps "sold out" within two seconds of the last key. Zero switches the cache off.
    /// </summary>
    public TimeSpan PageCacheDuration { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a signed-in buyer's tier and unread-notification count are kept in memory between pages (the
    /// prices and the badge in the header). Marking notifications read forgets the count at once; a new
    /// notification shows within this time. Zero reads them on every request.
    /// </summary>
    public TimeSpan AccountMaxAge { get; set; } = TimeSpan.FromSeconds(2);
}
