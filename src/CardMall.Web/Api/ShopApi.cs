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
            .WithTags("CardMall API v1");

        api.MapAccountApi();

        var admin = api.MapGroup("/admin")
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = ApiKeyAuthenticationHandler.SchemeName, Policy = ShopWeb.OperatorPolicy });
        admin.MapAdminUsersApi();
    }
}
