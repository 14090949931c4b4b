using CardMall.Application.Features.Admin;
using MediatR;

namespace CardMall.Web.Api;

public static class AdminUsersApi
{
    public sealed record CreateUserBody(string? Email, string? Password, string? Role, string? Tier);

    public static void MapAdminUsersApi(this RouteGroupBuilder admin)
    {
        admin.MapPost("/users", async (CreateUserBody body, IMediator mediator, CancellationToken ct) =>
        {
            var created = await mediator.Send(new CreateUser(body.Email ?? "", body.Password ?? "", body.Role ?? "", body.Tier ?? "regular"), ct);
            return Results.Created($"/api/v1/admin/users/{created.UserId}", new { created.UserId, created.ApiKey });
        });
    }
}
