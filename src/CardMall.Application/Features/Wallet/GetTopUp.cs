using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Common;
using CardMall.Domain.Wallets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Wallet;

/// <summary>
/// One of the caller's own top-ups: where the gateway sends the buyer back after paying. Somebody
/// else's top-up number finds nothing.
/// </summary>
public sealed record GetTopUp(string TopUpNo) : IRequest<TopUpView>;

internal sealed class GetTopUpHandler(ICardMallDb db, ICurrentUser currentUser) : IRequestHandler<GetTopUp, TopUpView>
{
    public async Task<TopUpView> Handle(GetTopUp request, CancellationToken cancellationToken)
    {
        var userId = currentUser.RequireUserId();
        return await db.TopUps.AsNoTracking()
            .Where(t => t.No == request.TopUpNo && t.UserId == userId)
            .Select(t => new TopUpView(t.No, t.Amount, t.Status, t.CreatedAt, t.ExpiresAt, t.PaidAt))
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException(AppText.Get("TopUp.NotFound"));
    }
}

public sealed record TopUpView(string TopUpNo, decimal Amount, TopUpStatus Status, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? PaidAt);
