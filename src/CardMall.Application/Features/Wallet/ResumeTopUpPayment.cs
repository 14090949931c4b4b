using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Common;
using CardMall.Domain.Wallets;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Wallet;

/// <summary>
/// The buyer goes back to pay a top-up still waiting for payment (after cancelling on the gateway's page,
/// say). Gateways open one payment per top-up number, so this leads to the same payment, not a second one.
/// </summary>
public sealed record ResumeTopUpPayment(string TopUpNo) : ICommand<TopUpStarted>;

public sealed class ResumeTopUpPaymentValidator : AbstractValidator<ResumeTopUpPayment>
{
    public ResumeTopUpPaymentValidator() => RuleFor(x => x.TopUpNo).NotEmpty().MaximumLength(32);
}

internal sealed class ResumeTopUpPaymentHandler(ICardMallDb db, ICurrentUser currentUser, IEnumerable<IPaymentGateway> gateways, TimeProvider clock)
    : IRequestHandler<ResumeTopUpPayment, TopUpStarted>
{
    public async Task<TopUpStarted> Handle(ResumeTopUpPayment request, CancellationToken cancellationToken)
    {
        var userId = currentUser.RequireUserId();
        var topUp = await db.TopUps.AsNoTracking().FirstOrDefaultAsync(t => t.No == request.TopUpNo && t.UserId == userId, cancellationToken)
            ?? throw new NotFoundException(AppText.Get("TopUp.NotFound"));
        if (topUp.Status != TopUpStatus.Pending || clock.GetUtcNow() >= topUp.ExpiresAt)
            throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Get("TopUp.NoLongerPayable"));
        var gateway = gateways.Find(topUp.Gateway) is { AcceptsNewPayments: true } found ? found
            : throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Get("TopUp.Unavailable"));

        var started = await gateway.StartPaymentAsync(TopUpPayment.Request(topUp), cancellationToken);
        return new TopUpStarted(topUp.No, topUp.Amount, topUp.ExpiresAt, started.PayUrl);
    }
}
