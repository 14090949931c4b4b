using CardMall.Application.Abstractions;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Accounts;

/// <summary>The caller's own API keys (never the keys themselves: only their hints).</summary>
public sealed record ListApiKeys : IRequest<IReadOnlyList<ApiKeySummary>>;

internal sealed class ListApiKeysHandler(ICardMallDb db, ICurrentUser currentUser)
    : IRequestHandler<ListApiKeys, IReadOnlyList<ApiKeySummary>>
{
    public async Task<IReadOnlyList<ApiKeySummary>> Handle(ListApiKeys request, CancellationToken cancellationToken)
    {
        var userId = currentUser.RequireUserId();
        return await db.ApiKeys.AsNoTracking()
            .Where(k => k.UserId == userId)
            .OrderByDescending(k => k.CreatedAt)
            .Select(k => new ApiKeySummary(k.Id, k.Name, k.Hint, k.CreatedAt, k.LastUsedAt, k.RevokedAt))
            .ToListAsync(cancellationToken);
    }
}

public sealed record ApiKeySummary(Guid ApiKeyId, string Name, string Hint, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public bool IsActive => RevokedAt is null;
}
