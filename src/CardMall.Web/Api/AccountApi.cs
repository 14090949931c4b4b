using CardMall.Application.Features.Accounts;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CardMall.Web.Api;

public static class AccountApi
{
    /// <summary>Who an API key acts as: <c>roles</c> are the shop's role names, <c>tier</c> its price tier.</summary>
    public sealed record Caller(Guid UserId, string Email, IReadOnlyList<string> Roles, string Tier);

    public static void MapAccountApi(this RouteGroupBuilder api)
    {
        api.MapGet("/me", async Task<Ok<Caller>> (IMediator mediator, CancellationToken ct) =>
        {
            var me = await mediator.Send(new GetMe(), ct);
            return TypedResults.Ok(new Caller(me.UserId, me.Email, me.Roles, me.Tier));
        })
        .WithName("GetMe").WithSummary("Who this API key acts as").WithTags(ApiDocument.Tag.Account);
    }
}
