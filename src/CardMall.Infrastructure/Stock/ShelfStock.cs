using CardMall.Application.Abstractions;
using CardMall.Application.Features.Catalog;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CardMall.Infrastructure.Stock;

/// <summary>
/// One snapshot of the sellable counts per node, read again once it is older than
/// <see cref="CatalogueOptions.StockMaxAge"/>: a promotion's thousands of page views a second cost one small
/// read a second.
/// </summary>
internal sealed class ShelfStock : IShelfStock
{
    private readonly KeptFresh<IReadOnlyDictionary<Guid, int>> counts;
    private readonly IOptions<CatalogueOptions> options;

    public ShelfStock(IServiceScopeFactory scopes, TimeProvider clock, IOptions<CatalogueOptions> options)
    {
        this.options = options;
        counts = new(async () =>
        {
            await using var scope = scopes.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<IStockCounts>().SellableAsync(null, clock.GetUtcNow(), CancellationToken.None);
        });
    }

    public ValueTask<IReadOnlyDictionary<Guid, int>> SellableAsync(CancellationToken ct) => counts.GetAsync(options.Value.StockMaxAge, ct);
}
