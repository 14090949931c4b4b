using CardMall.Domain.Tickets;
using CardMall.Domain.Verification;

namespace CardMall.UnitTests.Verification;

/// <summary>
/// What the shop does when a key check comes back (卡密核验), one test per outcome: the supplier's answer against our
/// records (sold when, first revealed when), the key's and the ticket's state, the buyer's replacement cap and the
/// other checks of the same round.
/// </summary>
public sealed class VerificationPolicyTests
{
    private static readonly DateTimeOffset Sold = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static VerificationCase Case(SupplierAnswer? answer, DateTimeOffset? redeemedAt = null, DateTimeOffset? revealedAt = null,
        bool soldToBuyer = true, bool keyVoid = false, int attempt = 1, bool? ticketActive = true, int used = 0) =>
        new(answer, redeemedAt, Sold, revealedAt, soldToBuyer, keyVoid, attempt, MaxAttempts: 3, ticketActive, used, ReplacementCap: 3);

    private static VerificationDecision Decide(VerificationCase c) => VerificationPolicy.Decide(c);

    [Fact]
    public void Invalid_is_replaced()
    {
        Assert.Equal(new VerificationDecision(VerificationOutcome.Replaced, VerificationReason.None), Decide(Case(SupplierAnswer.Invalid)));
    }

    [Fact]
    public void Redeemed_before_we_sold_it_is_replaced()
    {
        Assert.Equal(VerificationOutcome.Replaced, Decide(Case(SupplierAnswer.Redeemed, redeemedAt: Sold.AddHours(-1))).Outcome);
    }

    [Fact]
    public void Unused_gets_guidance()
    {
        Assert.Equal(new VerificationDecision(VerificationOutcome.GuidanceSent, VerificationReason.None), Decide(Case(SupplierAnswer.Unused)));
    }

    [Fact]
    public void Redeemed_after_the_buyer_revealed_it_goes_to_a_person()
    {
        Assert.Equal(new VerificationDecision(VerificationOutcome.HumanReview, VerificationReason.HumanReview),
            Decide(Case(SupplierAnswer.Redeemed, redeemedAt: Sold.AddHours(2), revealedAt: Sold.AddHours(1))));
    }

    [Fact]
    public void Redeemed_after_the_sale_but_never_revealed_goes_to_a_person_saying_so()
    {
        Assert.Equal(new VerificationDecision(VerificationOutcome.HumanReview, VerificationReason.RedeemedUnrevealed),
            Decide(Case(SupplierAnswer.Redeemed, redeemedAt: Sold.AddHours(2))));
    }

    [Fact]
    public void A_key_the_supplier_does_not_know_goes_to_a_person()
    {
        Assert.Equal(new VerificationDecision(VerificationOutcome.HumanReview, VerificationReason.Unknown), Decide(Case(SupplierAnswer.Unknown)));
    }

    [Fact]
    public void Unreachable_with_attempts_left_is_asked_again_later()
    {
        var decision = Decide(Case(SupplierAnswer.Unreachable, attempt: 2));
        Assert.Same(VerificationDecision.RetryLater, decision);
        Assert.False(decision.TouchesTicket);
    }

    [Fact]
    public void Unreachable_on_the_last_attempt_is_an_interface_anomaly_for_a_person()
    {
        Assert.Equal(new VerificationDecision(VerificationOutcome.InterfaceAnomaly, VerificationReason.Anomaly),
            Decide(Case(SupplierAnswer.Unreachable, attempt: 3)));
    }

    [Fact]
    public void Over_the_replacement_cap_a_person_decides()
    {
        Assert.Equal(new VerificationDecision(VerificationOutcome.CapReached, VerificationReason.CapReached),
            Decide(Case(SupplierAnswer.Invalid, used: 3)));
        Assert.Equal(VerificationOutcome.Replaced, Decide(Case(SupplierAnswer.Invalid, used: 2)).Outcome);
    }

    [Fact]
    public void A_key_already_replaced_or_refunded_is_not_remedied_again()
    {
        var decision = Decide(Case(SupplierAnswer.Invalid, keyVoid: true));
        Assert.Equal(new VerificationDecision(VerificationOutcome.NotApplicable, VerificationReason.KeyVoid), decision);
        Assert.True(decision.TouchesTicket);
    }

    [Fact]
    public void A_key_not_sold_to_this_buyer_is_not_remedied()
    {
        Assert.Equal(new VerificationDecision(VerificationOutcome.NotApplicable, VerificationReason.NotSold),
            Decide(Case(null, soldToBuyer: false)));
    }

    [Fact]
    public void A_check_whose_earlier_runs_never_reported_back_goes_to_a_person()
    {
        Assert.Equal(new VerificationDecision(VerificationOutcome.NotApplicable, VerificationReason.GaveUp), Decide(Case(null, attempt: 4)));
        Assert.False(VerificationPolicy.ShouldAsk(soldToBuyer: true, keyVoid: false, attempt: 4, maxAttempts: 3));
        Assert.True(VerificationPolicy.ShouldAsk(soldToBuyer: true, keyVoid: false, attempt: 3, maxAttempts: 3));
        Assert.False(VerificationPolicy.ShouldAsk(soldToBuyer: true, keyVoid: true, attempt: 1, maxAttempts: 3));
    }

    [Fact]
    public void A_ticket_a_person_settled_meanwhile_is_left_alone()
    {
        var decision = Decide(Case(SupplierAnswer.Invalid, ticketActive: false));
        Assert.Equal(VerificationOutcome.NotApplicable, decision.Outcome);
        Assert.False(decision.TouchesTicket);
    }

    [Fact]
    public void A_check_on_no_ticket_is_decided_without_the_cap()
    {
        Assert.Equal(VerificationOutcome.Replaced, Decide(Case(SupplierAnswer.Invalid, ticketActive: null, used: 10)).Outcome);
    }

    [Fact]
    public void No_stock_for_the_replacement_goes_to_a_person_and_a_key_gone_meanwhile_needs_nothing()
    {
        Assert.Equal(new VerificationDecision(VerificationOutcome.NoStock, VerificationReason.NoStock),
            VerificationPolicy.WhenReplacementRefused(ReplacementRefusal.OutOfStock));
        Assert.Equal(new VerificationDecision(VerificationOutcome.NotApplicable, VerificationReason.KeyVoid),
            VerificationPolicy.WhenReplacementRefused(ReplacementRefusal.AlreadyReplaced));
    }

    [Fact]
    public void A_lone_replacement_resolves_the_ticket_as_the_supplier_s_defective_key()
    {
        var plan = VerificationPolicy.Plan(VerificationOutcome.Replaced, SupplierAnswer.Invalid, []);
        Assert.Equal(new VerificationPlan(VerificationOutcome.Replaced, BuyerWord.Replaced, FactsNote: false, TellPersonChecking: false,
            RoundEnd.Resolved, RootCause.KeyDefective), plan);
    }

    [Fact]
    public void A_round_with_a_key_redeemed_before_delivery_resolves_as_used_before_delivery()
    {
        var plan = VerificationPolicy.Plan(VerificationOutcome.Replaced, SupplierAnswer.Invalid,
            [new RoundCheck(VerificationOutcome.Replaced, SupplierAnswer.Redeemed)]);
        Assert.Equal((RoundEnd.Resolved, RootCause.KeyUsedBeforeDelivery), (plan.End, plan.Cause));
    }

    [Fact]
    public void Guidance_is_given_once_per_round_and_the_ticket_waits_on_the_buyer()
    {
        var first = VerificationPolicy.Plan(VerificationOutcome.GuidanceSent, SupplierAnswer.Unused, [new RoundCheck(null, null)]);
        Assert.Equal((BuyerWord.Guidance, (RoundEnd?)null), (first.Say, first.End));

        var second = VerificationPolicy.Plan(VerificationOutcome.GuidanceSent, SupplierAnswer.Unused,
            [new RoundCheck(VerificationOutcome.GuidanceSent, SupplierAnswer.Unused)]);
        Assert.Equal((BuyerWord.None, RoundEnd.WaitsOnBuyer), (second.Say, second.End));

        var mixed = VerificationPolicy.Plan(VerificationOutcome.GuidanceSent, SupplierAnswer.Unused,
            [new RoundCheck(VerificationOutcome.Replaced, SupplierAnswer.Invalid)]);
        Assert.Equal(RoundEnd.WaitsOnBuyer, mixed.End);
    }

    [Fact]
    public void A_check_for_a_person_notes_the_facts_and_tells_the_buyer_once_per_round()
    {
        var first = VerificationPolicy.Plan(VerificationOutcome.HumanReview, SupplierAnswer.Redeemed, []);
        Assert.Equal(new VerificationPlan(VerificationOutcome.HumanReview, BuyerWord.PersonChecking, FactsNote: true, TellPersonChecking: true,
            RoundEnd.StaysWithPerson, RootCause.KeyUsedBeforeDelivery), first);

        var anomaly = VerificationPolicy.Plan(VerificationOutcome.InterfaceAnomaly, SupplierAnswer.Unreachable,
            [new RoundCheck(VerificationOutcome.HumanReview, SupplierAnswer.Redeemed)]);
        Assert.Equal((BuyerWord.None, true, false, (RoundEnd?)RoundEnd.StaysWithPerson),
            (anomaly.Say, anomaly.FactsNote, anomaly.TellPersonChecking, anomaly.End));

        Assert.Equal(BuyerWord.Anomaly, VerificationPolicy.Plan(VerificationOutcome.InterfaceAnomaly, SupplierAnswer.Unreachable, []).Say);
    }

    [Fact]
    public void The_buyer_s_timeline_never_names_the_supplier_s_trouble()
    {
        Assert.Equal(["replaced", "guidance", "person_checking", "person_checking"],
            new[] { VerificationOutcome.Replaced, VerificationOutcome.GuidanceSent, VerificationOutcome.InterfaceAnomaly, VerificationOutcome.NoStock }
                .Select(VerificationPolicy.BuyerSafeResult));
    }
}
