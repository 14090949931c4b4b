using CardMall.Application.Features.Admin;
using CardMall.Domain.Common;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Required = System.ComponentModel.DataAnnotations.RequiredAttribute;

namespace CardMall.Web.Api;

/// <summary>
/// Accounts: operators open them (only an Admin opens staff accounts); an Admin disables and enables them and
/// revokes their API keys. The use cases check the roles, so the answers are the contract's 403 forbidden.
/// </summary>
public static class AdminUsersApi
{
    public sealed record CreateUserBody([property: Required] string? Email, [property: Required] string? Password, [property: Required] string? Role, string? Tier)
    {
        public override string ToString() => $"CreateUserBody({Email}, ****, {Role}, {Tier})";
    }

    /// <summary>The new account's id and its first API key, shown this once (only its hash is stored).</summary>
    public sealed record CreatedAccount(Guid UserId, string ApiKey)
    {
        public override string ToString() => $"CreatedAccount({UserId}, ****)";
    }

    public sealed record AccountAccess(Guid UserId, bool Disabled, DateTimeOffset? DisabledAt);

    public sealed record ApiKeysRevoked(Guid UserId, int Revoked);

    public static void MapAdminUsersApi(this RouteGroupBuilder admin)
    {
        admin.MapPost("/users", async Task<Created<CreatedAccount>> (CreateUserBody body, IMediator mediator, CancellationToken ct) =>
        {
            var created = await mediator.Send(new CreateUser(body.Email ?? "", body.Password ?? "", body.Role ?? "", body.Tier ?? "regular"), ct);
            return TypedResults.Created($"/api/v1/admin/users/{created.UserId}", new CreatedAccount(created.UserId, created.ApiKey));
        })
        .WithName("CreateUser").WithSummary("Open an account with a role and tier, and its first API key").WithTags(ApiDocument.Tag.AdminUsers)
        .WithDescription("Only an Admin may create `Supervisor`, `Operator` or `Admin` accounts.")
        .Problems(ErrorCodes.ValidationFailed, ErrorCodes.Conflict);

        admin.MapPost("/users/{userId}/disable", async Task<Ok<AccountAccess>> (string userId, IMediator mediator, CancellationToken ct) =>
        {
            var access = await mediator.Send(new DisableUser(UserId(userId)), ct);
            return TypedResults.Ok(new AccountAccess(access.UserId, Disabled: true, access.DisabledAt));
        })
        .WithName("DisableUser").WithSummary("Disable an account: its sign-in and API keys stop working at once (Admin only)").WithTags(ApiDocument.Tag.AdminUsers)
        .Problems(ErrorCodes.NotFound, ErrorCodes.InvalidState);

        admin.MapPost("/users/{userId}/enable", async Task<Ok<AccountAccess>> (string userId, IMediator mediator, CancellationToken ct) =>
        {
            var access = await mediator.Send(new EnableUser(UserId(userId)), ct);
            return TypedResults.Ok(new AccountAccess(access.UserId, Disabled: false, DisabledAt: null));
        })
        .WithName("EnableUser").WithSummary("Enable a disabled account again (Admin only)").WithTags(ApiDocument.Tag.AdminUsers)
        .Problems(ErrorCodes.NotFound, ErrorCodes.InvalidState);

        admin.MapDelete("/users/{userId}/api-keys", async Task<Ok<ApiKeysRevoked>> (string userId, IMediator mediator, CancellationToken ct) =>
        {
            var revoked = await mediator.Send(new RevokeUserApiKeys(UserId(userId)), ct);
            return TypedResults.Ok(new ApiKeysRevoked(revoked.UserId, revoked.Revoked));
        })
        .WithName("RevokeUserApiKeys").WithSummary("Revoke all of an account's API keys (Admin only)").WithTags(ApiDocument.Tag.AdminUsers)
        .Problems(ErrorCodes.NotFound);

        admin.MapDelete("/users/{userId}/api-keys/{keyId}", async Task<Ok<ApiKeysRevoked>> (string userId, string keyId, IMediator mediator, CancellationToken ct) =>
        {
            if (!Guid.TryParse(keyId, out var key))
                throw new NotFoundException("No such API key.");
            var revoked = await mediator.Send(new RevokeUserApiKeys(UserId(userId), key), ct);
            return TypedResults.Ok(new ApiKeysRevoked(revoked.UserId, revoked.Revoked));
        })
        .WithName("RevokeUserApiKey").WithSummary("Revoke one of an account's API keys (Admin only)").WithTags(ApiDocument.Tag.AdminUsers)
        .Problems(ErrorCodes.NotFound);
    }

    /// <summary>A user id that is not a GUID names nobody: 404, as for an unknown one.</summary>
    internal static Guid UserId(string userId) =>
        Guid.TryParse(userId, out var id) ? id : throw new NotFoundException("No such user.");
}
