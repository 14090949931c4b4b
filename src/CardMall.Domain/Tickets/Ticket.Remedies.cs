using CardMall.Domain.Common;
using CardMall.Domain.Verification;

namespace CardMall.Domain.Tickets;

/// <summary>What the supplier, the key checks, incidents and payouts do to a ticket (the rest of <see cref="Ticket"/> is in Ticket.cs).</summary>
public sealed partial class Ticket
{
    /// <summary>Staff asked the supplier: the ticket waits on the supplier until <paramref name="dueAt"/> or its answer.</summary>
    public void EscalateToSupplier(Guid staffId, DateTimeOffset dueAt, DateTimeOffset now)
    {
        // The lifecycle decides first (a resolved ticket must be reopened).
        if (Status != TicketStatus.WaitingOnSupplier) Move(TicketStatus.WaitingOnSupplier, staffId, now);
        Record(TicketEventKinds.EscalatedToSupplier, new SupplierDueDetail(dueAt), isPublic: true, staffId, now);
    }

    /// <summary>The supplier answered; with no other question open the ticket is back with the agent.</summary>
    public void RecordSupplierAnswer(Guid staffId, bool otherQuestionsOpen, DateTimeOffset now)
    {
        Record(TicketEventKinds.SupplierReplied, null, isPublic: false, staffId, now);
        if (!otherQuestionsOpen && Status == TicketStatus.WaitingOnSupplier) Move(TicketStatus.Open, staffId, now);
    }

    /// <summary>A new key was delivered on <paramref name="orderNo"/> in place of one of the ticket's keys; the buyer hears where.</summary>
    public void RecordKeyReplaced(string orderNo, Guid? actorId, DateTimeOffset now)
    {
        Record(TicketEventKinds.KeyReplaced, new OrderDetail(orderNo), isPublic: true, actorId, now);
        Raise(new KeyWasReplaced(this, orderNo));
    }

    /// <summary>
    /// A key check of this ticket came back and the shop acts on it as <see cref="VerificationPolicy"/> planned: the
    /// check goes on the timeline first (in words the buyer may read), then what it led to — the new key, a raised
    /// priority and the facts for an agent, a plain message to the buyer — and the round's last check settles the
    /// ticket: resolved (every key replaced, the supplier's fault), waiting on the buyer (guidance) or with a person.
    /// The buyer's words and the agent's note come worded (the Domain knows no language).
    /// </summary>
    public void ApplyVerification(VerificationOnTicket check, Guid? actorId, DateTimeOffset now)
    {
        var plan = check.Plan;
        Record(TicketEventKinds.Verified, new VerificationDetail(VerificationPolicy.BuyerSafeResult(plan.Outcome)), isPublic: true, actorId, now);
        if (check.ReplacedOnOrder is { } orderNo) RecordKeyReplaced(orderNo, actorId, now);
        if (plan.Outcome == VerificationOutcome.InterfaceAnomaly)
        {
            if (Priority < TicketPriority.High)
            {
                SetPriority(TicketPriority.High, now);
                Record(TicketEventKinds.PriorityChanged, new PriorityDetail(TicketPriority.High), isPublic: true, actorId, now);
            }
            Raise(new SupplierWasUnreachable(this, check.VerificationId));
        }
        if (check.FactsNote is { } note)
        {
            AddMessage(MessageAuthor.System, null, note, isInternal: true, now);
            Record(TicketEventKinds.NoteAdded, null, isPublic: false, actorId, now);
        }
        if (check.BuyerMessage is { } words)
        {
            AddMessage(MessageAuthor.System, null, words, isInternal: false, now);
            // The guidance is the shop's first answer to the buyer's question.
            if (plan.Say == BuyerWord.Guidance) RecordStaffReply(now);
        }
        if (plan.TellPersonChecking) Raise(new VerificationNeedsPerson(this, actorId));
        switch (plan.End)
        {
            case RoundEnd.StaysWithPerson:
                if (Status == TicketStatus.WaitingOnBuyer) Move(TicketStatus.Open, actorId, now, tellBuyer: false);
                break;
            case RoundEnd.WaitsOnBuyer:
                if (Status != TicketStatus.WaitingOnBuyer) Move(TicketStatus.WaitingOnBuyer, actorId, now, tellBuyer: false);
                Raise(new VerificationSentGuidance(this));
                break;
            case RoundEnd.Resolved:
                // The replacement notice already told the buyer where to find the new key.
                Decide(Tickets.Responsibility.Supplier, plan.Cause, TicketResolution.Replaced, null, now);
                Move(TicketStatus.Resolved, actorId, now, tellBuyer: false);
                Record(TicketEventKinds.Resolved, new ResolutionDetail(TicketResolution.Replaced), isPublic: true, actorId, now);
                break;
        }
    }

    /// <summary>
    /// An operator settled the batch incident this ticket is linked to: the supplier's defective key, remedied as
    /// chosen. A ticket no longer being worked is left as it is. False when nothing changed.
    /// </summary>
    public bool ResolveForIncident(TicketResolution resolution, Guid actorId, DateTimeOffset now)
    {
        if (!IsActive) return false;
        Decide(Tickets.Responsibility.Supplier, Tickets.RootCause.KeyDefective, resolution, null, now);
        Move(TicketStatus.Resolved, actorId, now);
        Record(TicketEventKinds.Resolved, new ResolutionDetail(resolution), isPublic: true, actorId, now);
        return true;
    }

    /// <summary>An agent gave a frozen key of this ticket back: why goes in an internal note (the assignee is not paged for it).</summary>
    public void RecordKeyUnfrozen(Guid staffId, string note, DateTimeOffset now)
    {
        AddMessage(MessageAuthor.Staff, staffId, note, isInternal: true, now);
        Record(TicketEventKinds.NoteAdded, null, isPublic: false, staffId, now);
    }

    /// <summary>The ticket's key was frozen again (more devices) while this case is still open: the buyer reads why here.</summary>
    public void RecordKeyFrozenAgain(string words, DateTimeOffset now) => AddMessage(MessageAuthor.System, null, words, isInternal: false, now);

    /// <summary>The ticket joined a batch incident the operators are handling (for the agent; the shop's doing).</summary>
    public void JoinIncident(string incidentNo, DateTimeOffset now) =>
        Record(TicketEventKinds.IncidentLinked, new IncidentDetail(incidentNo), isPublic: false, actorId: null, now);

    /// <summary>A payout beyond the asker's limits waits for approval (staff only: the buyer hears when money moves).</summary>
    public void RecordPayoutRequested(PayoutKind kind, decimal amount, Guid? actorId, DateTimeOffset now) =>
        Record(TicketEventKinds.RefundRequested, new PayoutDetail(kind, amount), isPublic: false, actorId, now);

    /// <summary>An approver declined a payout: the buyer hears that money is not coming this way.</summary>
    public void RecordPayoutDeclined(PayoutKind kind, decimal amount, Guid? actorId, DateTimeOffset now)
    {
        Record(TicketEventKinds.RefundDeclined, new PayoutDetail(kind, amount), isPublic: false, actorId, now);
        Raise(new PayoutWasDeclined(this));
    }

    /// <summary>A refund or compensation was paid into the buyer's wallet.</summary>
    public void RecordPayout(PayoutKind kind, decimal amount, Guid actorId, DateTimeOffset now)
    {
        Record(kind == PayoutKind.Refund ? TicketEventKinds.Refunded : TicketEventKinds.Compensated, new AmountDetail(amount), isPublic: true, actorId, now);
        Raise(new PayoutWasPaid(this, kind, amount));
    }
}
