using CardMall.Application.Features.Accounts;
using MediatR;

namespace CardMall.Web.Api;

public static class AccountApi
{
    public static void MapAccountApi(this RouteGroupBuilder api)
    {
        api.MapGet("/me", async (IMediator mediator, CancellationToken ct) =>
        {
            var me = await mediator.Send(new GetMe(), ct);
            return Results.Ok(new { me.UserId, me.Email, me.Roles, me.Tier });
        });
    }
}
