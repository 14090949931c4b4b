using CardMall.Application.Features.CardKeys;
using CardMall.Application.Features.Catalog;
using CardMall.Application.Features.Wallet;
using FluentValidation;
using FluentValidation.Results;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace CardMall.Web.Api;

/// <summary>Operator endpoints for products, suppliers, key batches and wallets.</summary>
public static class AdminCatalogApi
{
    public sealed record TierPricesBody(decimal? Vip, decimal? Reseller);

    public sealed record CreateProductBody(
        string? Sku, string? Name, string? NameEn, string? Category, decimal? FaceValue, decimal? Price, TierPricesBody? TierPrices,
        int? ValidityDays, int? DeviceLimit, System.Text.Json.JsonElement? Regions, int? MaxPerOrder,
        string? Description, string? DescriptionEn, int? MinPerOrder, int? MaxPerBuyerPerDay);

    /// <summary>Protocol and API base URL are optional: a supplier is called through the built-in sandbox unless told otherwise.</summary>
    public sealed record CreateSupplierBody(string? Code, string? Name, string? WebhookSecret, string? Protocol = null, string? ApiBaseUrl = null)
    {
        public override string ToString() => $"CreateSupplierBody({Code}, ****)";
    }

    public sealed record ImportBatchBody(string? SupplierCode, decimal? UnitCost, DateTimeOffset? ExpiresAt, List<string?>? Lines);

    public sealed record AdjustmentBody(decimal? Amount, string? Reason);

    public const long MaxImportBody = 64L * 1024 * 1024;

    public static void MapAdminCatalogApi(this RouteGroupBuilder admin)
    {
        admin.MapPost("/products", async (CreateProductBody body, IMediator mediator, CancellationToken ct) =>
        {
            Require(("price", body.Price is null), ("faceValue", body.FaceValue is null), ("validityDays", body.ValidityDays is null),
                ("deviceLimit", body.DeviceLimit is null), ("maxPerOrder", body.MaxPerOrder is null));
            var created = await mediator.Send(new CreateProduct(
                body.Sku ?? "", body.Name ?? "", body.NameEn ?? "", body.Category ?? "", body.FaceValue!.Value, body.Price!.Value,
                body.TierPrices?.Vip, body.TierPrices?.Reseller, body.ValidityDays!.Value, body.DeviceLimit!.Value,
                Regions(body.Regions), body.MaxPerOrder!.Value, body.Description, body.DescriptionEn, body.MinPerOrder ?? 1, body.MaxPerBuyerPerDay), ct);
            return Results.Created($"/api/v1/products/{created.Sku}", new { created.Sku, created.NoticesVersion });
        });

        admin.MapPost("/suppliers", async (CreateSupplierBody body, IMediator mediator, CancellationToken ct) =>
        {
            var created = await mediator.Send(new CreateSupplier(body.Code ?? "", body.Name ?? "", body.WebhookSecret ?? "",
                string.IsNullOrWhiteSpace(body.Protocol) ? SupplierProtocols.Sandbox : body.Protocol.Trim(), body.ApiBaseUrl), ct);
            return Results.Created($"/api/v1/admin/suppliers/{created.Code}", new { created.SupplierId, created.Code });
        });

        admin.MapPost("/products/{sku}/batches", async (string sku, ImportBatchBody body, IMediator mediator, CancellationToken ct) =>
        {
            Require(("unitCost", body.UnitCost is null), ("lines", body.Lines is null));
            var imported = await mediator.Send(new ImportBatch(sku, body.SupplierCode ?? "", body.UnitCost!.Value, body.ExpiresAt,
                body.Lines!.Select(l => l ?? "").ToList()), ct);
            return Results.Created($"/api/v1/admin/batches/{imported.BatchId}", new
            {
                imported.BatchId,
                imported.Imported,
                Rejected = imported.Rejected.Select(r => new { r.Line, r.Reason }),
            });
        }).WithMetadata(new RequestSizeLimitAttribute(MaxImportBody));

        admin.MapPost("/users/{userId}/wallet/adjustments", async (string userId, AdjustmentBody body, HttpRequest http, IMediator mediator, CancellationToken ct) =>
        {
            var id = AdminUsersApi.UserId(userId);
            Require(("amount", body.Amount is null), ("reason", string.IsNullOrWhiteSpace(body.Reason)));
            // Optional here (the contract does not require it), but a retry that sends one is applied once.
            var key = http.Headers["Idempotency-Key"].ToString();
            var outcome = await mediator.Send(new AdjustWallet(id, body.Amount!.Value, body.Reason!, string.IsNullOrWhiteSpace(key) ? null : key.Trim()), ct);
            // Above the four-eyes amount nothing moved yet: 202 and the id a second person approves.
            return outcome.PendingAdjustmentId is { } pending
                ? Results.Accepted($"/api/v1/admin/wallet-adjustments/{pending}", new { AdjustmentId = pending, Status = "pending_approval" })
                : Results.Ok(new { outcome.Balance, Currency = "CNY" });
        });

        admin.MapPost("/wallet-adjustments/{adjustmentId}/approve", async (string adjustmentId, IMediator mediator, CancellationToken ct) =>
        {
            var decided = await mediator.Send(new DecideWalletAdjustment(AdjustmentId(adjustmentId), Approve: true), ct);
            return Results.Ok(new { decided.Balance, Currency = "CNY" });
        });

        admin.MapPost("/wallet-adjustments/{adjustmentId}/reject", async (string adjustmentId, IMediator mediator, CancellationToken ct) =>
        {
            var decided = await mediator.Send(new DecideWalletAdjustment(AdjustmentId(adjustmentId), Approve: false), ct);
            return Results.Ok(new { decided.AdjustmentId, Status = "rejected", decided.Balance });
        });
    }

    private static Guid AdjustmentId(string adjustmentId) =>
        Guid.TryParse(adjustmentId, out var id) ? id : throw new CardMall.Domain.Common.NotFoundException("No such adjustment.");

    /// <summary>Regions may come as "CN" or ["CN", "HK"]; they are kept as one comma-separated text.</summary>
    private static string Regions(System.Text.Json.JsonElement? regions) => regions switch
    {
        { ValueKind: System.Text.Json.JsonValueKind.String } s => s.GetString() ?? "",
        { ValueKind: System.Text.Json.JsonValueKind.Array } a => string.Join(",", a.EnumerateArray()
            .Where(e => e.ValueKind == System.Text.Json.JsonValueKind.String).Select(e => e.GetString())),
        _ => "",
    };

    /// <summary>Missing numbers are field errors, not a server fault.</summary>
    private static void Require(params (string Field, bool Missing)[] checks)
    {
        var failures = checks.Where(c => c.Missing).Select(c => new ValidationFailure(c.Field, $"{c.Field} is required.")).ToList();
        if (failures.Count > 0) throw new ValidationException(failures);
    }
}
