using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Common;
using CardMall.Domain.Orders;
using CardMall.Domain.Wallets;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CardMall.Application.Features.Wallet;

/// <summary>
/// A buyer asks to add money to the wallet: a pending top-up is recorded and a payment opened at the
/// gateway; the buyer is then sent to the gateway's page. Nothing is credited here: money arrives only
/// when the gateway says the payment was made (<see cref="SettleTopUp"/>).
/// </summary>
public sealed record CreateTopUp(decimal Amount) : ICommand<TopUpStarted>;

public sealed class CreateTopUpValidator : AbstractValidator<CreateTopUp>
{
    public const decimal MinAmount = 1m;
    public const decimal MaxAmount = 50_000m;

    public CreateTopUpValidator()
    {
        RuleFor(x => x.Amount)
            .Must(a => a >= MinAmount && a <= MaxAmount && decimal.Round(a, 2) == a)
            .WithMessage(_ => AppText.Format("TopUp.AmountRange", MinAmount, MaxAmount));
    }
}

internal sealed class CreateTopUpHandler(
    ICardMallDb db, ICurrentUser currentUser, IEnumerable<IPaymentGateway> gateways, IOptions<TopUpOptions> options, TimeProvider clock)
    : IRequestHandler<CreateTopUp, TopUpStarted>
{
    /// <summary>Unpaid top-ups a buyer may have open at once: enough for a change of mind, not enough to flood the gateway.</summary>
    private const int MaxOpen = 10;

    public async Task<TopUpStarted> Handle(CreateTopUp request, CancellationToken cancellationToken)
    {
        var userId = currentUser.RequireUserId();
        var gateway = gateways.FirstOrDefault(g => g.AcceptsNewPayments)
            ?? throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Get("TopUp.Unavailable"));
        var now = clock.GetUtcNow();

        var open = await db.TopUps.CountAsync(t => t.UserId == userId && t.Status == TopUpStatus.Pending && t.ExpiresAt > now, cancellationToken);
        if (open >= MaxOpen)
            throw new DomainRuleException(ErrorCodes.RateLimited, AppText.Get("TopUp.TooManyOpen"));

        var topUp = new TopUp(OrderNumbers.NewTopUpNo(now), userId, request.Amount, gateway.Name, now, options.Value.PayWithin);
        db.TopUps.Add(topUp);

        // The buyer learns the payment page only after this transaction commits, so no notification can
        // arrive before the top-up exists. Should the commit fail, the gateway keeps an unpaid payment
        // nobody can reach, which it closes by itself when it expires.
        var started = await gateway.StartPaymentAsync(TopUpPayment.Request(topUp), cancellationToken);
        return new TopUpStarted(topUp.No, topUp.Amount, topUp.ExpiresAt, started.PayUrl);
    }
}

/// <summary>The new top-up and the gateway page where the buyer pays it.</summary>
public sealed record TopUpStarted(string TopUpNo, decimal Amount, DateTimeOffset ExpiresAt, string PayUrl);
