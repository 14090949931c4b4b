using CardMall.Application.Abstractions;
using CardMall.Application.Features.Payments;
using CardMall.Domain.Wallets;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CardMall.Application.Features.Wallet;

/// <summary>
/// One pass of the top-up watcher. Notifications get lost, so every pending top-up older than
/// <see cref="CheckAfter"/> is looked up at its gateway: one the gateway reports paid is settled; one past
/// its time to pay has its payment closed at the gateway first (a payment that beat the close is
/// credited instead) and then expires.
/// Deliberately not an <see cref="ICommand{T}"/>: each top-up is settled or expired in its own
/// transaction, so one failing gateway call spoils nothing else and no transaction stays open while the
/// gateway answers. Several web nodes run the watcher; a PostgreSQL advisory lock lets one pass run at a
/// time, and the row locks of the settlement keep even overlapping passes from crediting twice.
/// </summary>
public sealed record CheckPendingTopUps(TimeSpan CheckAfter, int Limit = 200) : IRequest<PendingTopUpsChecked>;

public sealed class CheckPendingTopUpsValidator : AbstractValidator<CheckPendingTopUps>
{
    public CheckPendingTopUpsValidator()
    {
        RuleFor(x => x.CheckAfter).GreaterThanOrEqualTo(TimeSpan.Zero);
        RuleFor(x => x.Limit).InclusiveBetween(1, 10_000);
    }
}

internal sealed class CheckPendingTopUpsHandler(
    ICardMallDb db, IMediator mediator, IEnumerable<IPaymentGateway> gateways, TimeProvider clock, ILogger<CheckPendingTopUpsHandler> logger)
    : IRequestHandler<CheckPendingTopUps, PendingTopUpsChecked>
{
    /// <summary>Advisory lock key of the watcher ("topups" in ASCII).</summary>
    private const long LockKey = 0x746f70757073;

    public async Task<PendingTopUpsChecked> Handle(CheckPendingTopUps request, CancellationToken cancellationToken)
    {
        // Each top-up settles in its own transaction, so the pass holds a session lock across them.
        await using var alone = await db.Locks.TryAloneAcrossTransactionsAsync(LockKey, cancellationToken);
        if (alone is null) return new PendingTopUpsChecked(Ran: false, 0, 0, 0);
        return await CheckAsync(request, cancellationToken);
    }

    private async Task<PendingTopUpsChecked> CheckAsync(CheckPendingTopUps request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var askBefore = now - request.CheckAfter;
        var pending = await db.TopUps.AsNoTracking()
            .Where(t => t.Status == TopUpStatus.Pending && (t.CreatedAt <= askBefore || t.ExpiresAt <= now))
            .OrderBy(t => t.CreatedAt)
            .Take(request.Limit)
            .Select(t => new { t.No, t.Gateway, t.ExpiresAt })
            .ToListAsync(cancellationToken);

        int credited = 0, expired = 0;
        foreach (var topUp in pending)
        {
            var gateway = gateways.Find(topUp.Gateway);
            if (gateway is null)
            {
                logger.LogWarning("Top-up {TopUpNo} belongs to gateway {Gateway}, which is not configured", topUp.No, topUp.Gateway);
                continue;
            }
            try
            {
                var (outcome, payment) = await PaymentChase.ChaseAsync(gateway, topUp.No, topUp.ExpiresAt, now, cancellationToken);
                if (outcome == ChaseOutcome.Settle)
                {
                    if (await mediator.Send(new SettleTopUp(gateway.Name, payment!), cancellationToken) == TopUpSettlement.Credited)
                        credited++;
                }
                else if (outcome == ChaseOutcome.Expire && await mediator.Send(new ExpireTopUp(topUp.No), cancellationToken))
                {
                    expired++;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The next pass tries again; one broken top-up must not hold up the others.
                logger.LogWarning(ex, "Checking top-up {TopUpNo} with gateway {Gateway} failed", topUp.No, gateway.Name);
            }
        }
        if (credited > 0 || expired > 0)
            logger.LogInformation("Top-up watcher: {Checked} checked, {Credited} credited, {Expired} expired", pending.Count, credited, expired);
        return new PendingTopUpsChecked(Ran: true, pending.Count, credited, expired);
    }
}

/// <summary>Whether the pass ran (another node may hold the lock), and what it did.</summary>
public sealed record PendingTopUpsChecked(bool Ran, int Checked, int Credited, int Expired);
