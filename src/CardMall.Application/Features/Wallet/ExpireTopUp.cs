using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Common;
using FluentValidation;
using MediatR;

namespace CardMall.Application.Features.Wallet;

/// <summary>
/// A pending top-up whose time to pay is over becomes Expired and can no longer be credited. The top-up
/// watcher sends this after closing the payment at the gateway; the row lock makes it wait for a
/// settlement in progress, which wins.
/// </summary>
public sealed record ExpireTopUp(string TopUpNo) : ICommand<bool>;

public sealed class ExpireTopUpValidator : AbstractValidator<ExpireTopUp>
{
    public ExpireTopUpValidator() => RuleFor(x => x.TopUpNo).NotEmpty().MaximumLength(32);
}

internal sealed class ExpireTopUpHandler(ICardMallDb db, TimeProvider clock) : IRequestHandler<ExpireTopUp, bool>
{
    public async Task<bool> Handle(ExpireTopUp request, CancellationToken cancellationToken)
    {
        var topUp = await db.Locks.LockAsync<Domain.Wallets.TopUp, string>(t => t.No, request.TopUpNo, cancellationToken)
            ?? throw new NotFoundException(AppText.Get("TopUp.NotFound"));
        return topUp.Expire(clock.GetUtcNow());
    }
}
