using CardMall.Application.Features.CardKeys;
using CardMall.Application.Features.Catalog;
using CardMall.Application.Features.Wallet;
using CardMall.Domain.Common;
using CardMall.Web.Hosting;
using FluentValidation;
using FluentValidation.Results;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Required = System.ComponentModel.DataAnnotations.RequiredAttribute;

namespace CardMall.Web.Api;

/// <summary>Operator endpoints for products, suppliers, key batches and wallets.</summary>
public static class AdminCatalogApi
{
    public sealed record TierPricesBody(decimal? Vip, decimal? Reseller);

    /// <param name="Regions">"CN" or ["CN", "HK"].</param>
    public sealed record CreateProductBody(
        [property: Required] string? Sku, [property: Required] string? Name, [property: Required] string? NameEn, [property: Required] string? Category, [property: Required] decimal? FaceValue, [property: Required] decimal? Price,
        TierPricesBody? TierPrices, [property: Required] int? ValidityDays, [property: Required] int? DeviceLimit, [property: Required] System.Text.Json.JsonElement? Regions, [property: Required] int? MaxPerOrder,
        string? Description, string? DescriptionEn, int? MinPerOrder, int? MaxPerBuyerPerDay);

    /// <summary>Protocol and API base URL are optional: a supplier is called through the built-in sandbox unless told otherwise.</summary>
    public sealed record CreateSupplierBody([property: Required] string? Code, [property: Required] string? Name, [property: Required] string? WebhookSecret, string? Protocol = null, string? ApiBaseUrl = null)
    {
        public override string ToString() => $"CreateSupplierBody({Code}, ****)";
    }

    public sealed record ImportBatchBody([property: Required] string? SupplierCode, [property: Required] decimal? UnitCost, DateTimeOffset? ExpiresAt, [property: Required] List<string?>? Lines);

    public sealed record AdjustmentBody([property: Required] decimal? Amount, [property: Required] string? Reason);

    /// <param name="NoticesVersion">The version of the purchase notices buyers now accept.</param>
    public sealed record CreatedProduct(string Sku, int NoticesVersion);

    public sealed record CreatedSupplier(Guid SupplierId, string Code);

    /// <summary>The keys imported; <c>rejected</c> names each line that was not, and why.</summary>
    public sealed record ImportedBatch(Guid BatchId, int Imported, IReadOnlyList<RejectedLine> Rejected);

    /// <param name="Line">1-based, in the order the lines were sent.</param>
    public sealed record RejectedLine(int Line, string Reason);

    public sealed record WalletBalance(decimal Balance, string Currency);

    /// <summary>Above the four-eyes amount nothing moved yet: a second operator approves <c>adjustmentId</c>.</summary>
    public sealed record PendingAdjustment(Guid AdjustmentId, string Status);

    public sealed record RejectedAdjustment(Guid AdjustmentId, string Status, decimal Balance);

    public const long MaxImportBody = 64L * 1024 * 1024;

    public static void MapAdminCatalogApi(this RouteGroupBuilder admin)
    {
        admin.MapPost("/products", async Task<Created<CreatedProduct>> (CreateProductBody body, IMediator mediator, CancellationToken ct) =>
        {
            Require(("price", body.Price is null), ("faceValue", body.FaceValue is null), ("validityDays", body.ValidityDays is null),
                ("deviceLimit", body.DeviceLimit is null), ("maxPerOrder", body.MaxPerOrder is null));
            var created = await mediator.Send(new CreateProduct(
                body.Sku ?? "", body.Name ?? "", body.NameEn ?? "", body.Category ?? "", body.FaceValue!.Value, body.Price!.Value,
                body.TierPrices?.Vip, body.TierPrices?.Reseller, body.ValidityDays!.Value, body.DeviceLimit!.Value,
                Regions(body.Regions), body.MaxPerOrder!.Value, body.Description, body.DescriptionEn, body.MinPerOrder ?? 1, body.MaxPerBuyerPerDay), ct);
            return TypedResults.Created($"/api/v1/products/{created.Sku}", new CreatedProduct(created.Sku, created.NoticesVersion));
        })
        .WithName("CreateProduct").WithSummary("Put a new product on sale").WithTags(ApiDocument.Tag.AdminCatalog)
        .WithDescription("`category` is a category slug (`game-cards`, `activation-codes`, `memberships`, …); an unknown slug is 400 `validation_failed`.")
        .Problems(ErrorCodes.ValidationFailed, ErrorCodes.Conflict);

        admin.MapPost("/suppliers", async Task<Created<CreatedSupplier>> (CreateSupplierBody body, IMediator mediator, CancellationToken ct) =>
        {
            var created = await mediator.Send(new CreateSupplier(body.Code ?? "", body.Name ?? "", body.WebhookSecret ?? "",
                string.IsNullOrWhiteSpace(body.Protocol) ? SupplierProtocols.Sandbox : body.Protocol.Trim(), body.ApiBaseUrl), ct);
            return TypedResults.Created($"/api/v1/admin/suppliers/{created.Code}", new CreatedSupplier(created.SupplierId, created.Code));
        })
        .WithName("CreateSupplier").WithSummary("Register a supplier and its webhook secret").WithTags(ApiDocument.Tag.AdminCatalog)
        .Problems(ErrorCodes.ValidationFailed, ErrorCodes.Conflict);

        admin.MapPost("/products/{sku}/batches", async Task<Created<ImportedBatch>> (string sku, ImportBatchBody body, IMediator mediator, HttpResponse response, CancellationToken ct) =>
        {
            Require(("unitCost", body.UnitCost is null), ("lines", body.Lines is null));
            ImportMemory.ReturnAfter(response, body.Lines!.Count);
            var imported = await mediator.Send(new ImportBatch(sku, body.SupplierCode ?? "", body.UnitCost!.Value, body.ExpiresAt,
                body.Lines!.Select(l => l ?? "").ToList()), ct);
            return TypedResults.Created($"/api/v1/admin/batches/{imported.BatchId}", new ImportedBatch(
                imported.BatchId, imported.Imported, [.. imported.Rejected.Select(r => new RejectedLine(r.Line, r.Reason))]));
        }).WithMetadata(new RequestSizeLimitAttribute(MaxImportBody))
        .WithName("ImportBatch").WithSummary("Import a batch of keys for a product").WithTags(ApiDocument.Tag.AdminCatalog)
        .WithDescription("A line is `code`, `code,secret` or `code----secret`. A code starting with `=`, `+`, `-`, `@`, a tab or a carriage return "
            + "is rejected: it could run as a spreadsheet formula.")
        .Problems(ErrorCodes.ValidationFailed, ErrorCodes.NotFound, ApiProblemsMetadata.PayloadTooLarge);

        admin.MapPost("/users/{userId}/wallet/adjustments", async Task<Results<Ok<WalletBalance>, Accepted<PendingAdjustment>>> (
            string userId, AdjustmentBody body, HttpRequest http, IMediator mediator, CancellationToken ct) =>
        {
            var id = AdminUsersApi.UserId(userId);
            Require(("amount", body.Amount is null), ("reason", string.IsNullOrWhiteSpace(body.Reason)));
            // Optional here (the contract does not require it), but a retry that sends one is applied once.
            var key = http.Headers["Idempotency-Key"].ToString();
            var outcome = await mediator.Send(new AdjustWallet(id, body.Amount!.Value, body.Reason!, string.IsNullOrWhiteSpace(key) ? null : key.Trim()), ct);
            // Above the four-eyes amount nothing moved yet: 202 and the id a second person approves.
            return outcome.PendingAdjustmentId is { } pending
                ? TypedResults.Accepted($"/api/v1/admin/wallet-adjustments/{pending}", new PendingAdjustment(pending, "pending_approval"))
                : TypedResults.Ok(new WalletBalance(outcome.Balance, "CNY"));
        })
        .WithName("AdjustWallet").WithSummary("Credit or debit a user's wallet").WithTags(ApiDocument.Tag.AdminWallets)
        .WithDescription("200 with the new balance; above the four-eyes amount (default ¥1,000 either way) 202 with the adjustment a second operator approves.")
        .ReadsIdempotencyKey(required: false)
        .Problems(ErrorCodes.ValidationFailed, ErrorCodes.NotFound, ErrorCodes.IdempotencyKeyReused);

        admin.MapPost("/wallet-adjustments/{adjustmentId}/approve", async Task<Ok<WalletBalance>> (string adjustmentId, IMediator mediator, CancellationToken ct) =>
        {
            var decided = await mediator.Send(new DecideWalletAdjustment(AdjustmentId(adjustmentId), Approve: true), ct);
            return TypedResults.Ok(new WalletBalance(decided.Balance, "CNY"));
        })
        .WithName("ApproveWalletAdjustment").WithSummary("Approve a pending adjustment (not by the operator who asked for it)").WithTags(ApiDocument.Tag.AdminWallets)
        .Problems(ErrorCodes.NotFound, ErrorCodes.InvalidState);

        admin.MapPost("/wallet-adjustments/{adjustmentId}/reject", async Task<Ok<RejectedAdjustment>> (string adjustmentId, IMediator mediator, CancellationToken ct) =>
        {
            var decided = await mediator.Send(new DecideWalletAdjustment(AdjustmentId(adjustmentId), Approve: false), ct);
            return TypedResults.Ok(new RejectedAdjustment(decided.AdjustmentId, "rejected", decided.Balance));
        })
        .WithName("RejectWalletAdjustment").WithSummary("Reject a pending adjustment").WithTags(ApiDocument.Tag.AdminWallets)
        .Problems(ErrorCodes.NotFound, ErrorCodes.InvalidState);
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
