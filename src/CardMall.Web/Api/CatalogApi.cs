using CardMall.Application.Features.Catalog;
using CardMall.Domain.Catalog;
using CardMall.Domain.Common;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CardMall.Web.Api;

public static class CatalogApi
{
    /// <summary>A product as the caller may buy it: <c>price</c> is the caller's tier price in CNY.</summary>
    public sealed record Product(
        string Sku, string Name, string Category, decimal FaceValue, decimal Price, string Currency, int Stock, StockLevel StockLevel,
        int MinPerOrder, int MaxPerOrder, int? MaxPerBuyerPerDay, Notices Notices);

    /// <summary>What a buyer accepts with <c>acceptNotices</c>; <c>version</c> changes whenever the text does.</summary>
    public sealed record Notices(int ValidityDays, int DeviceLimit, IReadOnlyList<string> Regions, string RefundPolicy, int Version);

    public static void MapCatalogApi(this RouteGroupBuilder api)
    {
        api.MapGet("/products", async Task<Ok<IEnumerable<Product>>> (IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok((await mediator.Send(new ListProducts(), ct)).Select(ToJson)))
            .CacheOutput(Hosting.CatalogueCaching.Api)
            .WithName("ListProducts").WithSummary("The products on sale, with the caller's prices").WithTags(ApiDocument.Tag.Catalog);

        api.MapGet("/products/{sku}", async Task<Ok<Product>> (string sku, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(ToJson(await mediator.Send(new GetProduct(sku), ct))))
            .CacheOutput(Hosting.CatalogueCaching.Api)
            .WithName("GetProduct").WithSummary("One product").WithTags(ApiDocument.Tag.Catalog)
            .Problems(ErrorCodes.NotFound);
    }

    internal static Product ToJson(ProductView p) => new(
        p.Sku, p.Name, p.CategorySlug, p.FaceValue, p.Price, "CNY", p.Stock, p.StockLevel, p.MinPerOrder, p.MaxPerOrder, p.MaxPerBuyerPerDay,
        new Notices(p.Notices.ValidityDays, p.Notices.DeviceLimit, p.Notices.Regions, p.Notices.RefundPolicy, p.Notices.Version));
}
