using CardMall.Application.Features.Catalog;
using MediatR;

namespace CardMall.Web.Api;

public static class CatalogApi
{
    public static void MapCatalogApi(this RouteGroupBuilder api)
    {
        api.MapGet("/products", async (IMediator mediator, CancellationToken ct) =>
            Results.Ok((await mediator.Send(new ListProducts(), ct)).Select(ToJson)))
            .CacheOutput(Hosting.CatalogueCaching.Api);

        api.MapGet("/products/{sku}", async (string sku, IMediator mediator, CancellationToken ct) =>
            Results.Ok(ToJson(await mediator.Send(new GetProduct(sku), ct))))
            .CacheOutput(Hosting.CatalogueCaching.Api);
    }

    internal static object ToJson(ProductView p) => new
    {
        p.Sku,
        p.Name,
        Category = p.CategorySlug,
        p.FaceValue,
        p.Price,
        Currency = "CNY",
        p.Stock,
        StockLevel = p.StockLevel switch
        {
            Domain.Catalog.StockLevel.Plenty => "plenty",
            Domain.Catalog.StockLevel.Few => "few",
            _ => "sold_out",
        },
        p.MinPerOrder,
        p.MaxPerOrder,
        p.MaxPerBuyerPerDay,
        Notices = new
        {
            p.Notices.ValidityDays,
            p.Notices.DeviceLimit,
            p.Notices.Regions,
            p.Notices.RefundPolicy,
            p.Notices.Version,
        },
    };
}
