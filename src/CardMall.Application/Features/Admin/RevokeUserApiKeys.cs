using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Audit;
using CardMall.Domain.Common;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Admin;

/// <summary>
/// An Admin revokes an account's API keys — all of them, or one (<see cref="ApiKeyId"/>): they answer 401
/// from the next request on and never work again (DELETE /api/v1/admin/users/{userId}/api-keys[/{keyId}]).
/// </summary>
public sealed record RevokeUserApiKeys(Guid UserId, Guid? ApiKeyId = null) : IAuditedCommand<ApiKeysRevoked>
{
    public AuditNote Audit(ApiKeysRevoked result) => new(AuditActions.UserApiKeysRevoked, UserId.ToString(),
        ApiKeyId is { } one ? $"{result.Email}: API key {one} revoked" : $"{result.Email}: {result.Revoked} API key(s) revoked");
}

internal sealed class RevokeUserApiKeysHandler(UserAdministration admin, ICardMallDb db, TimeProvider clock) : IRequestHandler<RevokeUserApiKeys, ApiKeysRevoked>
{
    public async Task<ApiKeysRevoked> Handle(RevokeUserApiKeys request, CancellationToken cancellationToken)
    {
        var user = await admin.OtherAccountAsync(request.UserId);
        var keys = await db.ApiKeys
            .Where(k => k.UserId == user.Id && k.RevokedAt == null && (request.ApiKeyId == null || k.Id == request.ApiKeyId))
            .ToListAsync(cancellationToken);
        if (request.ApiKeyId is not null && keys.Count == 0)
            throw new NotFoundException(AppText.Get("ApiKey.NotFound"));
        var now = clock.GetUtcNow();
        foreach (var key in keys) key.Revoke(now);
        return new ApiKeysRevoked(user.Id, user.Email ?? "", keys.Count);
    }
}

public sealed record ApiKeysRevoked(Guid UserId, string Email, int Revoked);
