using CardMall.Application.Abstractions;
using CardMall.Domain.Wallets;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Wallet;

/// <summary>The caller's most recent top-ups, newest first, with their status (the wallet page).</summary>
public sealed record ListTopUps(int Take = 10) : IRequest<IReadOnlyList<TopUpView>>;

public sealed class ListTopUpsValidator : AbstractValidator<ListTopUps>
{
    public ListTopUpsValidator() => RuleFor(x => x.Take).InclusiveBetween(1, 100);
}

internal sealed class ListTopUpsHandler(ICardMallDb db, ICurrentUser currentUser) : IRequestHandler<ListTopUps, IReadOnlyList<TopUpView>>
{
    public async Task<IReadOnlyList<TopUpView>> Handle(ListTopUps request, CancellationToken cancellationToken)
    {
        var userId = currentUser.RequireUserId();
        return await db.TopUps.AsNoTracking()
            .Where(t => t.UserId == userId)
            .OrderByDescending(t => t.CreatedAt)
            .Take(request.Take)
            .Select(t => new TopUpView(t.No, t.Amount, t.Status, t.CreatedAt, t.ExpiresAt, t.PaidAt))
            .ToListAsync(cancellationToken);
    }
}
