using CardMall.Web.Errors;
using CardMall.Web.Hosting;
using CardMall.Web.Identity;
using Microsoft.AspNetCore.Authorization;

namespace CardMall.Web.Api;

/// <summary>The JSON API v1 (../shared/docs/api.md): API keys only, problem+json for every failure.</summary>
public static class ShopApi
{
    public static void MapShopApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1")
            .AddEndpointFilter<ApiExceptionFilter>()
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = ApiKeyAuthenticationHandler.SchemeName })
            .Problems(ApiDocument.EveryKeyedEndpoint)
            // JSON requests are small; the batch import raises its own limit.
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(1024 * 1024));

        api.MapAccountApi();
        api.MapCatalogApi();
        api.MapWalletApi();
        api.MapOrdersApi();
        api.MapTicketsApi();
        api.MapAssistantApi();
        api.MapChatsApi();

        var admin = api.MapGroup("/admin")
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = ApiKeyAuthenticationHandler.SchemeName, Policy = ShopWeb.OperatorPolicy })
            .Problems(CardMall.Domain.Common.ErrorCodes.Forbidden);
        admin.MapAdminUsersApi();
        admin.MapAdminCatalogApi();
        admin.MapAdminSandboxSupplierApi();
        admin.MapAdminDashboardApi();

        // Suppliers hold no API key: outside the group's API-key requirement, signed instead.
        app.MapSupplierWebhooksApi();
    }
}
