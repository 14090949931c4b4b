using CardMall.Domain.Tickets;

namespace CardMall.Domain.Verification;

/// <summary>
/// What the shop does when a key check (卡密核验) comes back, decided from the supplier's answer and the state of the
/// key, the ticket and the buyer's earlier replacements — no database, no language, so every outcome has a unit test
/// (product.md, 卡密核验):
/// <list type="bullet">
/// <item>invalid, or redeemed before our delivery → a new key (<see cref="VerificationOutcome.Replaced"/>), unless
/// the buyer reached the automatic replacement cap or there is no stock left (a person decides);</item>
/// <item>unused → the usage tutorial and region notes, and the ticket waits on the buyer;</item>
/// <item>redeemed after the sale, or anything unclear → a person compares the facts;</item>
/// <item>no answer → asked again after a back-off, and after the last attempt a person, at High priority;</item>
/// <item>a key that is not this buyer's, or already replaced or refunded (void), or a ticket a person already
/// settled → nothing to do automatically.</item>
/// </list>
/// </summary>
public static class VerificationPolicy
{
    /// <summary>Whether the supplier is worth asking at all (the same facts decide again when the answer is applied).</summary>
    public static bool ShouldAsk(bool soldToBuyer, bool keyVoid, int attempt, int maxAttempts) =>
        soldToBuyer && !keyVoid && attempt <= maxAttempts;

    /// <summary>The outcome of one check, or <see cref="VerificationDecision.RetryLater"/>.</summary>
    public static VerificationDecision Decide(VerificationCase c)
    {
        // A supplier that could not be reached is asked again while attempts are left, whatever else changed.
        if (c.Answer == SupplierAnswer.Unreachable && c.Attempt < c.MaxAttempts) return VerificationDecision.RetryLater;
        // Settled by a person in the meantime: the facts are kept, the ticket is not touched.
        if (c.TicketActive == false) return new(VerificationOutcome.NotApplicable, VerificationReason.TicketSettled);
        if (!c.SoldToBuyer) return new(VerificationOutcome.NotApplicable, VerificationReason.NotSold);
        // Replaced or refunded already (by an agent, a refund or an incident): the remedy happened once.
        if (c.KeyVoid) return new(VerificationOutcome.NotApplicable, VerificationReason.KeyVoid);
        // Earlier runs never reported back (they failed on our side): no more asking, a person takes over.
        if (c.Answer is not { } answer) return new(VerificationOutcome.NotApplicable, VerificationReason.GaveUp);

        var outcome = answer switch
        {
            SupplierAnswer.Invalid => VerificationOutcome.Replaced,
            SupplierAnswer.Redeemed when c.SupplierRedeemedAt is { } r && c.SoldAt is { } s && r < s => VerificationOutcome.Replaced,
            SupplierAnswer.Unused => VerificationOutcome.GuidanceSent,
            SupplierAnswer.Unreachable => VerificationOutcome.InterfaceAnomaly,
            // Redeemed after the sale (revealed or not, or no time given), or a key the supplier does not know.
            _ => VerificationOutcome.HumanReview,
        };
        // Automatic replacements cannot be farmed: over the cap, a person decides.
        if (outcome == VerificationOutcome.Replaced && c.TicketActive == true && c.ReplacementsUsed >= c.ReplacementCap)
            return new(VerificationOutcome.CapReached, VerificationReason.CapReached);
        return new(outcome, outcome switch
        {
            VerificationOutcome.InterfaceAnomaly => VerificationReason.Anomaly,
            VerificationOutcome.HumanReview when answer != SupplierAnswer.Redeemed => VerificationReason.Unknown,
            VerificationOutcome.HumanReview when c.FirstRevealedAt is null => VerificationReason.RedeemedUnrevealed,
            VerificationOutcome.HumanReview => VerificationReason.HumanReview,
            _ => VerificationReason.None,
        });
    }

    /// <summary>A replacement the policy wanted could not be made: no stock (a person), or the key went out of use meanwhile.</summary>
    public static VerificationDecision WhenReplacementRefused(ReplacementRefusal refusal) => refusal == ReplacementRefusal.OutOfStock
        ? new(VerificationOutcome.NoStock, VerificationReason.NoStock)
        : new(VerificationOutcome.NotApplicable, VerificationReason.KeyVoid);

    /// <summary>
    /// What the ticket gets for <paramref name="outcome"/>, given the other checks of its round: the buyer is told once per
    /// round that a person checks, and given the guidance once; the last check of the round settles the ticket.
    /// </summary>
    public static VerificationPlan Plan(VerificationOutcome outcome, SupplierAnswer? answer, IReadOnlyList<RoundCheck> others)
    {
        var done = others.Where(o => o.Outcome is not null).ToList();
        var personTold = done.Any(o => NeedsPerson(o.Outcome!.Value));
        var needsPerson = NeedsPerson(outcome);
        var say = outcome switch
        {
            VerificationOutcome.Replaced => BuyerWord.Replaced,
            VerificationOutcome.GuidanceSent => done.Any(o => o.Outcome == VerificationOutcome.GuidanceSent) ? BuyerWord.None : BuyerWord.Guidance,
            _ when personTold => BuyerWord.None,
            VerificationOutcome.InterfaceAnomaly => BuyerWord.Anomaly,
            _ => BuyerWord.PersonChecking,
        };
        RoundEnd? end = null;
        var cause = RootCause.KeyDefective;
        if (done.Count == others.Count)
        {
            var round = done.Append(new RoundCheck(outcome, answer)).ToList();
            end = round.Any(r => NeedsPerson(r.Outcome!.Value)) ? RoundEnd.StaysWithPerson
                : round.Any(r => r.Outcome == VerificationOutcome.GuidanceSent) ? RoundEnd.WaitsOnBuyer
                : RoundEnd.Resolved;
            if (round.Any(r => r.Answer == SupplierAnswer.Redeemed)) cause = RootCause.KeyUsedBeforeDelivery;
        }
        return new VerificationPlan(outcome, say, FactsNote: needsPerson, TellPersonChecking: needsPerson && !personTold, end, cause);
    }

    public static bool NeedsPerson(VerificationOutcome outcome) =>
        outcome is not (VerificationOutcome.Replaced or VerificationOutcome.GuidanceSent);

    /// <summary>What the buyer's timeline (and the API) may say about the check: never the supplier's trouble.</summary>
    public static string BuyerSafeResult(VerificationOutcome outcome) => outcome switch
    {
        VerificationOutcome.Replaced => "replaced",
        VerificationOutcome.GuidanceSent => "guidance",
        _ => "person_checking",
    };
}

/// <summary>What is known when the answer is applied: the supplier's answer (null when not asked), our records, the ticket.</summary>
/// <param name="TicketActive">Null for a check on no ticket.</param>
/// <param name="ReplacementsUsed">Automatic replacements the buyer already had within the cap's window.</param>
public sealed record VerificationCase(
    SupplierAnswer? Answer, DateTimeOffset? SupplierRedeemedAt, DateTimeOffset? SoldAt, DateTimeOffset? FirstRevealedAt,
    bool SoldToBuyer, bool KeyVoid, int Attempt, int MaxAttempts, bool? TicketActive, int ReplacementsUsed, int ReplacementCap);

/// <summary>The policy's answer; a null <see cref="Outcome"/> means "ask again after the back-off".</summary>
public sealed record VerificationDecision(VerificationOutcome? Outcome, VerificationReason Reason)
{
    public static readonly VerificationDecision RetryLater = new(null, VerificationReason.None);

    public bool TouchesTicket => Outcome is not null && Reason != VerificationReason.TicketSettled;
}

/// <summary>Why a person is needed (or nothing was done), worded in the agent's note.</summary>
public enum VerificationReason
{
    None,
    NotSold,
    KeyVoid,
    GaveUp,
    TicketSettled,
    CapReached,
    NoStock,
    Anomaly,
    Unknown,
    RedeemedUnrevealed,
    /// <summary>Redeemed after the buyer revealed it: a person compares the times.</summary>
    HumanReview,
}

/// <summary>Why a key could not be replaced.</summary>
public enum ReplacementRefusal
{
    OrderRefunded,
    AlreadyReplaced,
    KeyVoid,
    OutOfStock,
}

/// <summary>Another check queued with this one for the same ticket; <see cref="Outcome"/> is null while it is pending.</summary>
public sealed record RoundCheck(VerificationOutcome? Outcome, SupplierAnswer? Answer);

/// <summary>What the buyer is told about this check, in plain words.</summary>
public enum BuyerWord
{
    None,
    Replaced,
    Guidance,
    Anomaly,
    PersonChecking,
}

/// <summary>Where the ticket goes once every check of its round is done.</summary>
public enum RoundEnd
{
    /// <summary>Something needs a person: the ticket stays (or comes back) in the agents' queue.</summary>
    StaysWithPerson,
    /// <summary>Guidance was given: the ticket waits on the buyer.</summary>
    WaitsOnBuyer,
    /// <summary>Every key was replaced: resolved, the supplier's fault.</summary>
    Resolved,
}

/// <summary>What the ticket gets for one check (<see cref="Ticket.ApplyVerification"/>).</summary>
/// <param name="FactsNote">An internal note with the facts side by side, for the agent.</param>
/// <param name="TellPersonChecking">The buyer (in-app) and the assignee hear that a person takes over.</param>
/// <param name="End">Set by the last check of the round.</param>
/// <param name="Cause">The root cause when the round ends resolved.</param>
public sealed record VerificationPlan(
    VerificationOutcome Outcome, BuyerWord Say, bool FactsNote, bool TellPersonChecking, RoundEnd? End, RootCause Cause);
