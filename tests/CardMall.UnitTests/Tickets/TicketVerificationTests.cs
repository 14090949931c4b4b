using CardMall.Domain.Tickets;
using CardMall.Domain.Verification;

namespace CardMall.UnitTests.Tickets;

/// <summary>
/// <see cref="Ticket.ApplyVerification"/>: what a ticket gets when a key check comes back — the check first on the
/// timeline, then the new key, the priority, the facts for the agent, the buyer's message, and the round's settlement.
/// </summary>
public sealed class TicketVerificationTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    private static Ticket NewTicket(TicketStatus status = TicketStatus.Open)
    {
        var ticket = new Ticket("T1", Guid.NewGuid(), Guid.NewGuid(), TicketCategory.KeyInvalid, TicketPriority.Normal, "bad key", null, "web",
            isBulk: false, new SlaTargets(240, 2880), Now.AddHours(-1));
        ticket.MoveTo(TicketStatus.Open, Now.AddHours(-1));
        if (status != TicketStatus.Open) ticket.MoveTo(status, Now.AddMinutes(-30));
        return ticket;
    }

    private static VerificationOnTicket Check(VerificationPlan plan, string? order = null, string? say = null, string? note = null) =>
        new(Guid.NewGuid(), plan, order, say, note);

    [Fact]
    public void A_replacement_puts_the_check_before_the_new_key_and_resolves_the_ticket_without_a_status_notice()
    {
        var ticket = NewTicket();
        var plan = VerificationPolicy.Plan(VerificationOutcome.Replaced, SupplierAnswer.Invalid, []);

        ticket.ApplyVerification(Check(plan, "O-1", "新卡密在订单 O-1"), actorId: null, Now);

        Assert.Equal([TicketEventKinds.Verified, TicketEventKinds.KeyReplaced, TicketEventKinds.StatusChanged, TicketEventKinds.Resolved],
            ticket.Events.Select(e => e.Kind));
        Assert.Equal(new VerificationDetail("replaced"), ticket.Events.First().Details);
        Assert.Equal((TicketStatus.Resolved, Responsibility.Supplier, RootCause.KeyDefective, TicketResolution.Replaced),
            (ticket.Status, ticket.Responsibility!.Value, ticket.RootCause!.Value, ticket.Resolution!.Value));
        var said = Assert.Single(ticket.Messages);
        Assert.Equal((MessageAuthor.System, false, "新卡密在订单 O-1"), (said.Author, said.IsInternal, said.Body));
        Assert.Equal([typeof(KeyWasReplaced)], ticket.DomainEvents.Select(e => e.GetType()));
    }

    [Fact]
    public void An_unreachable_supplier_raises_the_priority_notes_the_facts_and_hands_the_ticket_to_a_person()
    {
        var ticket = NewTicket(TicketStatus.WaitingOnBuyer);
        var agent = Guid.NewGuid();
        var plan = VerificationPolicy.Plan(VerificationOutcome.InterfaceAnomaly, SupplierAnswer.Unreachable, []);

        ticket.ApplyVerification(Check(plan, say: "有人在核对", note: "facts"), agent, Now);

        Assert.Equal(TicketPriority.High, ticket.Priority);
        Assert.Equal(TicketStatus.Open, ticket.Status);
        Assert.Equal(new VerificationDetail("person_checking"), ticket.Events.First().Details);
        Assert.Contains(ticket.Events, e => e.Kind == TicketEventKinds.PriorityChanged && e.IsPublic);
        Assert.Contains(ticket.Events, e => e.Kind == TicketEventKinds.NoteAdded && !e.IsPublic && e.ActorId == agent);
        Assert.Equal([(true, "facts"), (false, "有人在核对")], ticket.Messages.Select(m => (m.IsInternal, m.Body)));
        Assert.Equal([typeof(SupplierWasUnreachable), typeof(VerificationNeedsPerson)], ticket.DomainEvents.Select(e => e.GetType()));
    }

    [Fact]
    public void Guidance_answers_the_buyer_and_the_settled_round_waits_on_them()
    {
        var ticket = NewTicket();
        var plan = VerificationPolicy.Plan(VerificationOutcome.GuidanceSent, SupplierAnswer.Unused, []);

        ticket.ApplyVerification(Check(plan, say: "使用教程"), actorId: null, Now);

        Assert.Equal(TicketStatus.WaitingOnBuyer, ticket.Status);
        Assert.Equal(Now, ticket.FirstRespondedAt);
        Assert.Equal([typeof(VerificationSentGuidance)], ticket.DomainEvents.Select(e => e.GetType()));
    }

    [Fact]
    public void A_check_whose_round_is_still_running_leaves_the_status_alone()
    {
        var ticket = NewTicket();
        var plan = VerificationPolicy.Plan(VerificationOutcome.Replaced, SupplierAnswer.Invalid, [new RoundCheck(null, null)]);

        ticket.ApplyVerification(Check(plan, "O-1", "新卡密"), actorId: null, Now);

        Assert.Equal(TicketStatus.Open, ticket.Status);
        Assert.Null(ticket.Resolution);
    }
}
