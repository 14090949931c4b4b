using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Common;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Accounts;

/// <summary>A user revokes one of their own API keys; it stops working at once.</summary>
public sealed record RevokeApiKey(Guid ApiKeyId) : ICommand<Unit>;

internal sealed class RevokeApiKeyHandler(ICardMallDb db, ICurrentUser currentUser, Forgetting forgetting, TimeProvider clock)
    : IRequestHandler<RevokeApiKey, Unit>
{
    public async Task<Unit> Handle(RevokeApiKey request, CancellationToken cancellationToken)
    {
        var userId = currentUser.RequireUserId();
        // Someone else's key is simply "not found": ids reveal nothing.
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == request.ApiKeyId && k.UserId == userId, cancellationToken)
            ?? throw new NotFoundException(AppText.Get("ApiKey.NotFound"));
        key.Revoke(clock.GetUtcNow());
        forgetting.Forget(new Stale.Account(userId));
        return Unit.Value;
    }
}
