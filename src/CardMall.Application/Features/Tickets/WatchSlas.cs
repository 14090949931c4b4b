using CardMall.Application.Abstractions;
using CardMall.Domain.Tickets;
using FluentValidation;
using MediatR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// One pass of the SLA watcher (no signed-in user: its timeline events have no actor, i.e. the system):
/// <list type="number">
/// <item>at <see cref="AfterSalesOptions.WarnAt"/> of a target the assignee is warned, once per clock;</item>
/// <item>on a breach the ticket is marked breached (which raises its priority), supervisors and the assignee
/// are told — exactly once;</item>
/// <item>a ticket resolved longer than <see cref="AfterSalesOptions.AutoCloseAfter"/> ago closes;</item>
/// <item><see cref="AfterSalesOptions.CheckInAfter"/> after resolution without a word from the buyer, the
/// buyer gets one check-in ("did this solve it?").</item>
/// </list>
/// Every web node runs the watcher. A transaction-scoped advisory lock lets one pass at a time do the
/// work (the other returns at once), and the tickets are claimed with SKIP LOCKED (<see cref="IRowLocks"/>), so a ticket an
/// agent is working on right now is simply left for the next pass. Each claimed row is judged again by the
/// domain's own rules after the lock is taken: a condition that changed in between is not acted on.
/// </summary>
public sealed record WatchSlas(int BatchSize = 200) : ICommand<SlaWatchPass>;

public sealed class WatchSlasValidator : AbstractValidator<WatchSlas>
{
    public WatchSlasValidator() => RuleFor(x => x.BatchSize).InclusiveBetween(1, 5000);
}

internal sealed class WatchSlasHandler(ICardMallDb db, TicketDesk desk, IOptions<AfterSalesOptions> options, ILogger<WatchSlasHandler> logger)
    : IRequestHandler<WatchSlas, SlaWatchPass>
{
    /// <summary>Advisory lock key of the watcher ("slawatch" in ASCII).</summary>
    private const long LockKey = 0x736c617761746368;

    public async Task<SlaWatchPass> Handle(WatchSlas request, CancellationToken cancellationToken)
    {
        if (!await db.Locks.TryAloneAsync(LockKey, cancellationToken)) return new SlaWatchPass(Ran: false, 0, 0, 0, 0);

        var settings = options.Value;
        var (warned, breached) = await WatchClocksAsync(settings.WarnAt, request.BatchSize, cancellationToken);
        // Saved between the steps so that each step's query sees what the previous one changed.
        await db.SaveChangesAsync(cancellationToken);
        var closed = await AutoCloseAsync(settings.AutoCloseAfter, request.BatchSize, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        var checkedIn = await CheckInAsync(settings.CheckInAfter, request.BatchSize, cancellationToken);

        if (warned + breached + closed + checkedIn > 0)
            logger.LogInformation("SLA watcher: {Warned} warned, {Breached} breached, {Closed} closed, {CheckedIn} checked in",
                warned, breached, closed, checkedIn);
        return new SlaWatchPass(Ran: true, warned, breached, closed, checkedIn);
    }

    private async Task<(int Warned, int Breached)> WatchClocksAsync(double warnAt, int batchSize, CancellationToken ct)
    {
        var now = desk.Now;
        // Only tickets with a warning or a breach due; the running clock (not paused) is part of the filter.
        var tickets = await db.Locks.ClaimTicketsWithClockDueAsync(now, warnAt, batchSize, ct);

        int warned = 0, breached = 0;
        foreach (var ticket in tickets)
        {
            var check = ticket.WatchClock(now, warnAt, desk.CallerId);
            if (check.Breached) breached++;
            if (check.Warned) warned++;
        }
        return (warned, breached);
    }

    private async Task<int> AutoCloseAsync(TimeSpan after, int batchSize, CancellationToken ct)
    {
        var resolvedBefore = desk.Now - after;
        var tickets = await db.Locks.ClaimResolvedTicketsAsync(resolvedBefore, batchSize, ct);
        var closed = 0;
        foreach (var ticket in tickets)
        {
            // Re-checked on the locked row: a reopen committed since the query started is left alone.
            if (ticket.Status != TicketStatus.Resolved || ticket.ResolvedAt is not { } at || at > resolvedBefore) continue;
            ticket.CloseUnconfirmed(desk.CallerId, desk.Now);
            closed++;
        }
        return closed;
    }

    private async Task<int> CheckInAsync(TimeSpan after, int batchSize, CancellationToken ct)
    {
        var resolvedBefore = desk.Now - after;
        // A buyer who wrote or rated since the resolution has answered already.
        var tickets = await db.Locks.ClaimTicketsOwedCheckInAsync(resolvedBefore, batchSize, ct);
        var checkedIn = 0;
        foreach (var ticket in tickets)
        {
            if (ticket.Status != TicketStatus.Resolved || ticket.CheckInSentAt is not null || ticket.RatedAt is not null) continue;
            ticket.SendCheckIn(desk.CallerId, desk.Now);
            checkedIn++;
        }
        return checkedIn;
    }
}

/// <summary>What one pass did; <see cref="Ran"/> is false when another node's pass was running.</summary>
public sealed record SlaWatchPass(bool Ran, int Warned, int Breached, int Closed, int CheckedIn);
