namespace CardMall.Domain.Tickets;

/// <summary>The SLA watcher's passes over a ticket: warnings, breaches, auto-close and the check-in.</summary>
public sealed partial class Ticket
{
    /// <summary>
    /// The SLA watcher's look at the running clock: at <paramref name="warnAt"/> of a target a warning (once per
    /// clock); past a target a breach (once per clock), which marks the ticket and raises its priority. A clock that
    /// breaches in this pass is not warned about any more, only marked so that it never is.
    /// </summary>
    public SlaCheck WatchClock(DateTimeOffset now, double warnAt, Guid? actorId)
    {
        var firstResponseBreach = FirstResponseBreachDue(now);
        var resolutionBreach = ResolutionBreachDue(now);
        var firstResponseWarning = FirstResponseWarningDue(now, warnAt);
        var resolutionWarning = ResolutionWarningDue(now, warnAt);
        var breached = firstResponseBreach || resolutionBreach;

        if (breached)
        {
            var before = Priority;
            if (firstResponseBreach)
            {
                if (firstResponseWarning) MarkFirstResponseWarned(now);
                MarkFirstResponseBreached(now);
                Record(TicketEventKinds.SlaBreached, new SlaClockDetail(SlaClock.FirstResponse), isPublic: false, actorId, now);
            }
            if (resolutionBreach)
            {
                if (resolutionWarning) MarkResolutionWarned(now);
                MarkResolutionBreached(now);
                Record(TicketEventKinds.SlaBreached, new SlaClockDetail(SlaClock.Resolution), isPublic: false, actorId, now);
            }
            if (Priority != before) Record(TicketEventKinds.PriorityChanged, new PriorityDetail(Priority), isPublic: false, actorId, now);
            Raise(new SlaWasBreached(this));
        }

        var warned = false;
        if (firstResponseWarning && !firstResponseBreach)
        {
            MarkFirstResponseWarned(now);
            Record(TicketEventKinds.SlaWarning, new SlaClockDetail(SlaClock.FirstResponse), isPublic: false, actorId, now);
            warned = true;
        }
        if (resolutionWarning && !resolutionBreach)
        {
            MarkResolutionWarned(now);
            Record(TicketEventKinds.SlaWarning, new SlaClockDetail(SlaClock.Resolution), isPublic: false, actorId, now);
            warned = true;
        }
        // One message per ticket and pass: a breach told already says more than a warning.
        if (warned && !breached) Raise(new SlaWarningReached(this, warnAt));
        return new SlaCheck(warned, breached);
    }

    /// <summary>Resolved long enough without a word from the buyer: the ticket closes (the buyer is told).</summary>
    public void CloseUnconfirmed(Guid? actorId, DateTimeOffset now) => Move(TicketStatus.Closed, actorId, now);

    /// <summary>Resolved a while ago and the buyer has said nothing: one "did this solve it?".</summary>
    public void SendCheckIn(Guid? actorId, DateTimeOffset now)
    {
        MarkCheckInSent(now);
        Record(TicketEventKinds.CheckInSent, null, isPublic: true, actorId, now);
        Raise(new CheckInWasSent(this));
    }
}
