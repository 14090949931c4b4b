using CardMall.Application.Features.Admin;
using CardMall.Domain.Common;
using MediatR;

namespace CardMall.Web.Api;

/// <summary>
/// Accounts: operators open them (only an Admin opens staff accounts); an Admin disables and enables them and
/// revokes their API keys. The use cases check the roles, so the answers are the contract's 403 forbidden.
/// </summary>
public static class AdminUsersApi
{
    public sealed record CreateUserBody(string? Email, string? Password, string? Role, string? Tier)
    {
        public override string ToString() => $"CreateUserBody({Email}, ****, {Role}, {Tier})";
    }

    public static void MapAdminUsersApi(this RouteGroupBuilder admin)
    {
        admin.MapPost("/users", async (CreateUserBody body, IMediator mediator, CancellationToken ct) =>
        {
            var created = await mediator.Send(new CreateUser(body.Email ?? "", body.Password ?? "", body.Role ?? "", body.Tier ?? "regular"), ct);
            return Results.Created($"/api/v1/admin/users/{created.UserId}", new { created.UserId, created.ApiKey });
        });

        admin.MapPost("/users/{userId}/disable", async (string userId, IMediator mediator, CancellationToken ct) =>
        {
            var access = await mediator.Send(new DisableUser(UserId(userId)), ct);
            return Results.Ok(new { access.UserId, Disabled = true, access.DisabledAt });
        });

        admin.MapPost("/users/{userId}/enable", async (string userId, IMediator mediator, CancellationToken ct) =>
        {
            var access = await mediator.Send(new EnableUser(UserId(userId)), ct);
            return Results.Ok(new { access.UserId, Disabled = false, DisabledAt = (DateTimeOffset?)null });
        });

        admin.MapDelete("/users/{userId}/api-keys", async (string userId, IMediator mediator, CancellationToken ct) =>
        {
            var revoked = await mediator.Send(new RevokeUserApiKeys(UserId(userId)), ct);
            return Results.Ok(new { revoked.UserId, revoked.Revoked });
        });

        admin.MapDelete("/users/{userId}/api-keys/{keyId}", async (string userId, string keyId, IMediator mediator, CancellationToken ct) =>
        {
            if (!Guid.TryParse(keyId, out var key))
                throw new NotFoundException("No such API key.");
            var revoked = await mediator.Send(new RevokeUserApiKeys(UserId(userId), key), ct);
            return Results.Ok(new { revoked.UserId, revoked.Revoked });
        });
    }

    /// <summary>A user id that is not a GUID names nobody: 404, as for an unknown one.</summary>
    internal static Guid UserId(string userId) =>
        Guid.TryParse(userId, out var id) ? id : throw new NotFoundException("No such user.");
}
