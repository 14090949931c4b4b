using CardMall.Application.Abstractions;
using CardMall.Application.Features.Tickets;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Tickets;
using CardMall.Domain.Verification;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CardMall.Application.Features.Verification;

/// <summary>
/// The last step of <see cref="RunVerification"/>: what happens when a verification comes back, in one transaction.
/// The check is locked and re-read (a run that lost its claim, or a check done meanwhile, changes nothing), then its
/// ticket (so an agent's replacement or refund of the same key takes turns with it). <see cref="VerificationPolicy"/>
/// decides from the answer and what the key, the ticket and the buyer's earlier replacements look like now: ask again
/// later, a new key, guidance, or a person. A new key is taken from stock; then <see cref="Ticket.ApplyVerification"/>
/// puts it all on the ticket, and the check is done.
/// </summary>
public sealed record ApplyVerificationAnswer(Guid VerificationId, int Attempt, KeyFacts Facts, SupplierKeyStatus? Supplier)
    : ICommand<VerificationRun>;

internal sealed class ApplyVerificationAnswerHandler(
    ICardMallDb db, ICurrentUser currentUser, TicketDesk desk, KeyReplacement replacement, VerificationWording wording,
    TimeProvider clock, IOptions<VerificationOptions> options, ILogger<ApplyVerificationAnswerHandler> logger)
    : IRequestHandler<ApplyVerificationAnswer, VerificationRun>
{
    public async Task<VerificationRun> Handle(ApplyVerificationAnswer request, CancellationToken ct)
    {
        var check = await db.Locks.LockAsync<KeyVerification>(request.VerificationId, ct)
            ?? throw new InvalidOperationException("A claimed key check is never deleted.");
        if (check.Status == VerificationStatus.Done) return new(check.Id, Ran: false, check.Outcome, check.Answer);
        if (check.Attempts != request.Attempt) return new(check.Id, Ran: false, null, check.Answer);

        var (facts, answer, settings, now) = (request.Facts, request.Supplier, options.Value, clock.GetUtcNow());
        check.RecordFacts(facts.SoldToBuyer, facts.KeyState.ToString(), facts.SoldAt, facts.FirstRevealedAt, facts.Activations);
        if (answer is not null) check.RecordAnswer(answer.Answer, answer.RedeemedAt, answer.Error, answer.LatencyMs);

        var ticket = check.TicketId is { } ticketId ? await desk.LockForSystemAsync(ticketId, ct) : null;
        // Read under the ticket's lock: an agent replacing or refunding this key holds it too.
        var keyVoid = await db.CardKeys.AnyAsync(k => k.Id == check.CardKeyId && k.State == CardKeyState.Void, ct);
        var replacementsUsed = ticket is { IsActive: true } ? await ReplacementsUsedAsync(ticket.BuyerId, now, ct) : 0;
        var decision = VerificationPolicy.Decide(new VerificationCase(answer?.Answer, answer?.RedeemedAt, facts.SoldAt, facts.FirstRevealedAt,
            facts.SoldToBuyer, keyVoid, check.Attempts, settings.MaxAttempts, ticket?.IsActive, replacementsUsed, settings.ReplacementCap));

        if (decision.Outcome is not { } outcome)
        {
            // Asked again after the back-off the claim set; the other checks go on meanwhile.
            logger.LogInformation("Verification {VerificationId}: supplier unreachable ({Error}), attempt {Attempts} of {MaxAttempts}; next at {NextAttemptAt}",
                check.Id, check.SupplierError, check.Attempts, settings.MaxAttempts, check.NextAttemptAt);
            return new(check.Id, Ran: true, null, check.Answer);
        }
        if (ticket is null || !decision.TouchesTicket)
        {
            check.Complete(outcome, null, now);
            return new(check.Id, Ran: true, outcome, check.Answer);
        }

        KeyReplaced? replaced = null;
        if (outcome == VerificationOutcome.Replaced)
        {
            var attempt = await replacement.TryReplaceAsync(ticket, check.OrderItemId!.Value, actor: null, ct);
            replaced = attempt.Replaced;
            if (attempt.Refused is { } refusal) decision = VerificationPolicy.WhenReplacementRefused(refusal);
        }
        var plan = VerificationPolicy.Plan(decision.Outcome!.Value, check.Answer, await RoundAsync(check, ct));
        var (buyerMessage, factsNote) = await wording.WordAsync(ticket, check, plan, decision.Reason, replaced?.OrderNo, replacementsUsed, ct);

        ticket.ApplyVerification(new VerificationOnTicket(check.Id, plan, replaced?.OrderNo, buyerMessage, factsNote), currentUser.UserId, now);
        check.Complete(plan.Outcome, replaced?.NewItemId, now);
        if (plan.FactsNote)
            logger.LogInformation("Verification {VerificationId} on ticket {TicketNo}: {Outcome} ({Answer}, {Error})",
                check.Id, ticket.No, plan.Outcome, check.Answer, check.SupplierError);
        return new(check.Id, Ran: true, plan.Outcome, check.Answer);
    }

    /// <summary>
    /// Automatic replacements this buyer already had within the cap's window. A lock per buyer makes two checks of the
    /// same buyer's keys (two tickets, two workers) count one after the other.
    /// </summary>
    private async Task<int> ReplacementsUsedAsync(Guid buyerId, DateTimeOffset now, CancellationToken ct)
    {
        await db.Locks.PersonAsync(PersonLock.VerificationReplacements, buyerId, ct);
        var since = now - options.Value.ReplacementCapWindow;
        return await (from kv in db.KeyVerifications
                      join t in db.Tickets on kv.TicketId equals (Guid?)t.Id
                      where t.BuyerId == buyerId && kv.Status == VerificationStatus.Done && kv.Outcome == VerificationOutcome.Replaced
                          && kv.CompletedAt >= since
                      select kv.Id).CountAsync(ct);
    }

    /// <summary>The other checks queued with this one for its ticket, read after the ticket's lock: those that finished are committed.</summary>
    private async Task<IReadOnlyList<RoundCheck>> RoundAsync(KeyVerification check, CancellationToken ct) =>
        await db.KeyVerifications.AsNoTracking()
            .Where(x => x.TicketId == check.TicketId && x.Trigger == check.Trigger && x.RequestedAt == check.RequestedAt && x.Id != check.Id)
            .Select(x => new RoundCheck(x.Status == VerificationStatus.Done ? x.Outcome : null, x.Answer))
            .ToListAsync(ct);
}
