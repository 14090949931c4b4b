using System.Globalization;
using CardMall.Application.Abstractions;
using CardMall.Application.Behaviors;
using CardMall.Application.Features.Catalog;
using CardMall.Application.Features.KnowledgeBase;
using CardMall.Application.Features.Notifications;
using CardMall.Application.Features.Tickets;
using CardMall.Application.Localization;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Common;
using CardMall.Domain.Notifications;
using CardMall.Domain.Risk;
using CardMall.Domain.Tickets;
using CardMall.Domain.Verification;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CardMall.Application.Features.Verification;

/// <summary>
/// Completes one key check (卡密核验) and acts on it within policy, as the worker does for filed tickets
/// and the agent's "verify" button does at once — in three steps, so that no row lock or connection is held
/// while the supplier's interface is called over HTTP:
/// <list type="number">
/// <item><b>claim</b> — a short transaction takes the verification row FOR UPDATE SKIP LOCKED (a row another
/// worker is running is left to it, and a Done row is never run again), counts the attempt and sets when it
/// may be tried next (<see cref="KeyVerification.BackOff"/>: the lease while this run asks the supplier, and the
/// back-off should it fail), and commits;</item>
/// <item><b>ask</b> — our own records are read (the key was sold on this buyer's order, its state, when it was
/// sold, first revealed, how many activation attempts it had), and the supplier is asked through its gateway,
/// outside any transaction (a missing gateway, timeout or error is an answer too: unreachable);</item>
/// <item><b>apply</b> — a transaction of its own re-reads the row (a run that lost its claim, or a check done
/// meanwhile, changes nothing) and writes the facts and the answer. An unreachable supplier leaves the check
/// pending for its next attempt, up to <see cref="VerificationOptions.MaxAttempts"/>; then, or with any other
/// answer, <see cref="KeyVerification.Decide"/> says what the policy wants and the ticket is acted on (it is
/// locked only now, so an agent is never kept waiting on a slow supplier): a new key, or the usage tutorial
/// and region notes, or a person at the right priority with the facts side by side in an internal note — each
/// time with a plain message the buyer can read in their own language.</item>
/// </list>
/// Automatic replacements are capped per buyer (<see cref="VerificationOptions.ReplacementCap"/> within
/// <see cref="VerificationOptions.ReplacementCapWindow"/>) so they cannot be farmed — over the cap, a person
/// decides. The checks queued together for one ticket (a round) settle the ticket's status together: the last of
/// them to finish resolves it (all replaced), waits on the buyer (guidance) or leaves it to a person. Runs whose
/// claims never reported back (they failed on our side) stop asking after the limit and go to a person. The plain
/// key is opened only to be handed to the gateway, and never logged.
/// </summary>
public sealed record RunVerification(Guid VerificationId) : IRequest<VerificationRun>;

public sealed class RunVerificationValidator : AbstractValidator<RunVerification>
{
    public RunVerificationValidator() => RuleFor(x => x.VerificationId).NotEmpty();
}

internal sealed class RunVerificationHandler(
    ICardMallDb db, ICurrentUser currentUser, ICardKeyVault vault, IEnumerable<ISupplierGateway> gateways, TicketDesk desk,
    KeyReplacement replacement, IMediator mediator, IOptions<VerificationOptions> options, ILogger<RunVerificationHandler> logger)
    : IRequestHandler<RunVerification, VerificationRun>
{
    /// <summary>First half of the advisory lock that serialises one buyer's replacement-cap checks ("vrfy").</summary>
    private const int CapLockClass = 0x76726679;


    public async Task<VerificationRun> Handle(RunVerification request, CancellationToken ct)
    {
        // The supplier is asked over HTTP between two short transactions; inside a caller's transaction the call
        // would hold its connection and row locks for as long as the supplier takes.
        if (db.Database.CurrentTransaction is not null)
            throw new InvalidOperationException("A key check asks its supplier outside any database transaction; send RunVerification on its own.");
        var settings = options.Value;

        // 1. Claim, in a short transaction of its own.
        var claim = await db.InOwnTransactionAsync(async c =>
        {
            var row = (await db.KeyVerifications
                .FromSql($"SELECT * FROM key_verifications WHERE id = {request.VerificationId} FOR UPDATE SKIP LOCKED")
                .ToListAsync(c)).FirstOrDefault();
            // Missing, or another worker holds it right now: theirs to finish.
            if (row is null) return new Claim(null, 0, new VerificationRun(request.VerificationId, Ran: false, null, null));
            if (row.Status == VerificationStatus.Done) return new Claim(null, 0, new VerificationRun(row.Id, Ran: false, row.Outcome, row.Answer));
            // Being run elsewhere (its lease), or backing off after a failure.
            if (row.NextAttemptAt > desk.Now) return new Claim(null, 0, new VerificationRun(row.Id, Ran: false, null, row.Answer));
            row.Claim(desk.Now, KeyVerification.BackOff(row.Attempts + 1, settings.RetryFirstAfter));
            return new Claim(row.Id, row.Attempts, null);
        }, ct);
        if (claim.Done is { } notRun) return notRun;

        // 2. Our own records and the supplier's answer, with no transaction open.
        var verification = await db.KeyVerifications.AsNoTracking().FirstAsync(v => v.Id == claim.Id, ct);
        var key = await db.CardKeys.AsNoTracking().FirstAsync(k => k.Id == verification.CardKeyId, ct);
        var buyerId = verification.TicketId is { } tid
            ? await db.Tickets.Where(t => t.Id == tid).Select(t => (Guid?)t.BuyerId).FirstOrDefaultAsync(ct)
            : verification.RequestedBy;
        var facts = await ReadFactsAsync(verification, key, buyerId, ct);
        // What needs no supplier: a key that is not this buyer's, or one already taken out of use.
        string? reason = !facts.SoldToBuyer ? "Verification.Reason.NotSold"
            : key.State == CardKeyState.Void ? "Verification.Reason.KeyVoid"
            : null;
        var supplier = await (from b in db.KeyBatches
                              join s in db.Suppliers on b.SupplierId equals s.Id
                              where b.Id == key.BatchId
                              select s).AsNoTracking().FirstAsync(ct);
        SupplierKeyStatus? status = null;
        if (reason is null && claim.Attempts <= settings.MaxAttempts) status = await AskSupplierAsync(verification, supplier, key, ct);
        // Earlier runs never reported back (they failed on our side): no more asking, a person takes over.
        else if (reason is null) reason = "Verification.Reason.GaveUp";

        // 3. Apply the answer in a transaction of its own; the row is re-read, so a run that lost its claim changes nothing.
        return await db.InOwnTransactionAsync(async c =>
        {
            var current = (await db.KeyVerifications.FromSql($"SELECT * FROM key_verifications WHERE id = {claim.Id} FOR UPDATE").ToListAsync(c)).Single();
            if (current.Status == VerificationStatus.Done) return new VerificationRun(current.Id, Ran: false, current.Outcome, current.Answer);
            if (current.Attempts != claim.Attempts) return new VerificationRun(current.Id, Ran: false, null, current.Answer);
            current.RecordFacts(facts.SoldToBuyer, key.State.ToString(), key.SoldAt, facts.FirstRevealedAt, facts.Activations);
            var outcome = VerificationOutcome.NotApplicable;
            if (status is not null)
            {
                current.RecordAnswer(status.Answer, status.RedeemedAt, status.Error, status.LatencyMs);
                if (status.Answer == SupplierAnswer.Unreachable && current.Attempts < settings.MaxAttempts)
                {
                    // Asked again after the back-off the claim set; the other checks go on meanwhile.
                    logger.LogInformation("Verification {VerificationId}: supplier unreachable ({Error}), attempt {Attempts} of {MaxAttempts}; next at {NextAttemptAt}",
                        current.Id, current.SupplierError, current.Attempts, settings.MaxAttempts, current.NextAttemptAt);
                    return new VerificationRun(current.Id, Ran: true, null, current.Answer);
                }
                outcome = KeyVerification.Decide(status.Answer, status.RedeemedAt, key.SoldAt, facts.FirstRevealedAt);
            }
            return await ApplyAsync(current, key, supplier, outcome, reason, c);
        }, ct);
    }

    /// <summary>The check's id and attempt number once claimed; or, when it was not claimed, what to answer instead.</summary>
    private sealed record Claim(Guid? Id, int Attempts, VerificationRun? Done);

    /// <summary>Acts on the outcome within policy, inside the apply transaction (the ticket is locked here, after the supplier answered).</summary>
    private async Task<VerificationRun> ApplyAsync(KeyVerification verification, CardKey key, Supplier supplier, VerificationOutcome outcome, string? reason,
        CancellationToken ct)
    {
        var now = desk.Now;
        if (verification.TicketId is not { } ticketId)
        {
            verification.Complete(outcome, null, now);
            await db.SaveChangesAsync(ct);
            return new VerificationRun(verification.Id, Ran: true, outcome, verification.Answer);
        }

        var ticket = await desk.LockForSystemAsync(ticketId, ct);
        if (!ticket.IsActive)
        {
            // Settled by a person in the meantime: the facts are kept, the ticket is not touched.
            verification.Complete(VerificationOutcome.NotApplicable, null, now);
            await db.SaveChangesAsync(ct);
            return new VerificationRun(verification.Id, Ran: true, VerificationOutcome.NotApplicable, verification.Answer);
        }

        var settings = options.Value;
        var (capUsed, capReached) = (0, false);
        if (outcome == VerificationOutcome.Replaced)
        {
            (capUsed, capReached) = await ReplacementCapAsync(ticket.BuyerId, now, settings, ct);
            if (capReached) outcome = VerificationOutcome.CapReached;
        }

        // The check goes on the timeline before what it leads to (the new key, the status); its buyer-safe
        // detail is corrected below should the replacement not happen after all.
        var verified = ticket.Record(TicketEventKinds.Verified, BuyerSafeDetail(outcome), isPublic: true, currentUser.UserId, now);

        Guid? replacementItemId = null;
        string? replacedOnOrder = null;
        if (outcome == VerificationOutcome.Replaced)
        {
            try
            {
                var replaced = await replacement.ReplaceAsync(ticket, verification.OrderItemId!.Value, actor: null, ct);
                replacementItemId = replaced.NewItemId;
                replacedOnOrder = replaced.OrderNo;
            }
            catch (DomainRuleException e) when (e.Code == ErrorCodes.OutOfStock)
            {
                outcome = VerificationOutcome.NoStock;
            }
            catch (DomainRuleException e) when (e.Code == ErrorCodes.InvalidState)
            {
                // An agent replaced it a moment ago.
                outcome = VerificationOutcome.NotApplicable;
                reason = "Verification.Reason.KeyVoid";
            }
        }

        // Siblings queued in the same round, read after the ticket lock: those that finished are committed.
        var round = await db.KeyVerifications.AsNoTracking()
            .Where(x => x.TicketId == ticket.Id && x.Trigger == verification.Trigger && x.RequestedAt == verification.RequestedAt
                && x.Id != verification.Id)
            .Select(x => new { x.Status, x.Outcome, x.Answer })
            .ToListAsync(ct);
        var done = round.Where(r => r.Status == VerificationStatus.Done && r.Outcome is not null).ToList();

        var buyerCulture = await BuyerCultureAsync(ticket.BuyerId, ct);
        var personTold = done.Any(r => NeedsPerson(r.Outcome!.Value));
        switch (outcome)
        {
            case VerificationOutcome.Replaced:
                SayToBuyer(ticket, Text("Verification.Buyer.Replaced", buyerCulture, replacedOnOrder!), now);
                break;
            case VerificationOutcome.GuidanceSent:
                // One set of instructions per round is enough, however many keys were unused.
                if (!done.Any(r => r.Outcome == VerificationOutcome.GuidanceSent))
                {
                    SayToBuyer(ticket, await GuidanceAsync(key.ProductId, ticket.OrderId, buyerCulture, ct), now);
                    ticket.RecordStaffReply(now);
                }
                break;
            case VerificationOutcome.InterfaceAnomaly:
                if (ticket.Priority < TicketPriority.High)
                {
                    ticket.SetPriority(TicketPriority.High, now);
                    desk.Record(ticket, TicketEventKinds.PriorityChanged, new PriorityDetail(TicketPriority.High), isPublic: true);
                }
                db.RiskAlerts.Add(new RiskAlert("interface_anomaly", $"{supplier.Name} ({supplier.Code}): {verification.SupplierError ?? "unreachable"}",
                    key.Id, ticket.Id, null, now));
                AddFactsNote(ticket, verification, key, AppText.Format("Verification.Reason.Anomaly", verification.SupplierError ?? "unreachable"), now);
                if (!personTold) SayToBuyer(ticket, Text("Verification.Buyer.Anomaly", buyerCulture), now);
                break;
            default:
                AddFactsNote(ticket, verification, key, ReasonFor(outcome, reason, verification, settings, capUsed), now);
                if (!personTold) SayToBuyer(ticket, Text("Verification.Buyer.PersonChecking", buyerCulture), now);
                break;
        }
        if (NeedsPerson(outcome) && !personTold)
        {
            db.Send(ticket.BuyerId, NotificationKind.VerificationPersonChecking, TicketDesk.BuyerLink(ticket.No), now, email: false, ticket.No);
            if (ticket.AssigneeId is { } assignee && assignee != currentUser.UserId) desk.NotifyStaff(assignee, ticket, NotificationKind.VerificationNeedsAgent);
        }
        if (verified.Details != BuyerSafeDetail(outcome))
        {
            ticket.Retract(verified);
            ticket.Record(TicketEventKinds.Verified, BuyerSafeDetail(outcome), isPublic: true, currentUser.UserId, now);
        }

        if (round.All(r => r.Status == VerificationStatus.Done))
            SettleTicket(ticket, done.Select(r => (r.Outcome!.Value, r.Answer)).Append((outcome, verification.Answer)).ToList(), now);

        verification.Complete(outcome, replacementItemId, now);
        // Saved here too: when an agent's round runs inside one transaction, the next check reads this one as done.
        await db.SaveChangesAsync(ct);
        if (NeedsPerson(outcome))
            logger.LogInformation("Verification {VerificationId} on ticket {TicketNo}: {Outcome} ({Answer}, {Error})",
                verification.Id, ticket.No, outcome, verification.Answer, verification.SupplierError);
        return new VerificationRun(verification.Id, Ran: true, outcome, verification.Answer);
    }

    private async Task<RecordedFacts> ReadFactsAsync(KeyVerification verification, CardKey key, Guid? buyerId, CancellationToken ct)
    {
        var sale = verification.OrderItemId is { } itemId
            ? await (from i in db.OrderItems
                     join o in db.Orders on i.OrderId equals o.Id
                     where i.Id == itemId
                     select new { i.CardKeyId, OrderId = o.Id, o.UserId }).FirstOrDefaultAsync(ct)
            : null;
        var soldToBuyer = sale is not null && buyerId is { } buyer && sale.UserId == buyer && sale.CardKeyId == key.Id && key.OrderId == sale.OrderId;
        var firstRevealedAt = await db.CardKeyEvents
            .Where(e => e.CardKeyId == key.Id && (e.Kind == CardKeyEventKind.Revealed || e.Kind == CardKeyEventKind.Downloaded))
            .MinAsync(e => (DateTimeOffset?)e.At, ct);
        var activations = await db.ActivationEvents.CountAsync(e => e.CardKeyId == key.Id, ct);
        return new RecordedFacts(soldToBuyer, firstRevealedAt, activations);
    }

    private async Task<SupplierKeyStatus> AskSupplierAsync(KeyVerification verification, Supplier supplier, CardKey key, CancellationToken ct)
    {
        if (gateways.For(supplier) is not { } gateway) return new SupplierKeyStatus(SupplierAnswer.Unreachable, null, "no_gateway", 0);
        try
        {
            return await gateway.QueryKeyAsync(supplier, vault.Open(key), ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // The gateway should answer Unreachable itself; if it throws anyway the ticket still goes to a person.
            // Only the exception's type is logged: its message might quote the request, and the request holds the key.
            logger.LogWarning("Supplier gateway {Protocol} threw {ExceptionType} during verification {VerificationId}",
                gateway.Protocol, e.GetType().Name, verification.Id);
            return new SupplierKeyStatus(SupplierAnswer.Unreachable, null, "gateway_error", 0);
        }
    }

    /// <summary>
    /// Automatic replacements this buyer already had within the window. An advisory lock per buyer makes two
    /// checks of the same buyer's keys (two tickets, two workers) count one after the other.
    /// </summary>
    private async Task<(int Used, bool Reached)> ReplacementCapAsync(Guid buyerId, DateTimeOffset now, VerificationOptions settings, CancellationToken ct)
    {
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({CapLockClass}, hashtext({buyerId.ToString()}))", ct);
        var since = now - settings.ReplacementCapWindow;
        var used = await (from kv in db.KeyVerifications
                          join t in db.Tickets on kv.TicketId equals (Guid?)t.Id
                          where t.BuyerId == buyerId && kv.Status == VerificationStatus.Done && kv.Outcome == VerificationOutcome.Replaced
                              && kv.CompletedAt >= since
                          select kv.Id).CountAsync(ct);
        return (used, used >= settings.ReplacementCap);
    }

    /// <summary>
    /// The whole round is done: all keys replaced → resolved (supplier's fault); guidance given → waiting on
    /// the buyer; anything for a person → it stays (or comes back) in the agents' queue.
    /// </summary>
    private void SettleTicket(Ticket ticket, IReadOnlyList<(VerificationOutcome Outcome, SupplierAnswer? Answer)> round, DateTimeOffset now)
    {
        if (round.Any(r => NeedsPerson(r.Outcome)))
        {
            if (ticket.Status == TicketStatus.WaitingOnBuyer) desk.Move(ticket, TicketStatus.Open, notifyBuyer: false);
            return;
        }
        if (round.Any(r => r.Outcome == VerificationOutcome.GuidanceSent))
        {
            if (ticket.Status != TicketStatus.WaitingOnBuyer) desk.Move(ticket, TicketStatus.WaitingOnBuyer, notifyBuyer: false);
            desk.NotifyBuyer(ticket, NotificationKind.VerificationGuidance);
            return;
        }
        // Every key was replaced; the replacement notice already told the buyer where to find the new one.
        var cause = round.Any(r => r.Answer == SupplierAnswer.Redeemed) ? RootCause.KeyUsedBeforeDelivery : RootCause.KeyDefective;
        ticket.Decide(Responsibility.Supplier, cause, TicketResolution.Replaced, null, now);
        desk.Move(ticket, TicketStatus.Resolved, notifyBuyer: false);
        desk.Record(ticket, TicketEventKinds.Resolved, new ResolutionDetail(TicketResolution.Replaced), isPublic: true);
    }

    private static bool NeedsPerson(VerificationOutcome outcome) =>
        outcome is not (VerificationOutcome.Replaced or VerificationOutcome.GuidanceSent);

    /// <summary>What the buyer's timeline (and the API) may say about the check: never the supplier's trouble.</summary>
    private static VerificationDetail BuyerSafeDetail(VerificationOutcome outcome) => outcome switch
    {
        VerificationOutcome.Replaced => new("replaced"),
        VerificationOutcome.GuidanceSent => new("guidance"),
        _ => new("person_checking"),
    };

    private void SayToBuyer(Ticket ticket, string body, DateTimeOffset now) =>
        db.TicketMessages.Add(new TicketMessage(ticket.Id, MessageAuthor.System, null, body, isInternal: false, now));

    /// <summary>The usage tutorial (knowledge base) and the regions of the notices the buyer accepted, in the buyer's language.</summary>
    private async Task<string> GuidanceAsync(Guid productId, Guid? orderId, CultureInfo culture, CancellationToken ct)
    {
        var product = await db.Products.AsNoTracking().Where(p => p.Id == productId).Select(p => new { p.Sku, p.Regions }).FirstAsync(ct);
        var accepted = orderId is null ? null : await (from o in db.Orders
                                                       join n in db.ProductNotices on new { o.ProductId, Version = o.NoticesVersion }
                                                           equals new { n.ProductId, n.Version }
                                                       where o.Id == orderId && o.ProductId == productId
                                                       select n.Regions).FirstOrDefaultAsync(ct);
        var regions = ProductReading.SplitRegions(accepted ?? product.Regions);
        var tutorial = await mediator.Send(new FindTutorial(product.Sku), ct);

        var lines = new List<string> { Text("Verification.Buyer.Guidance", culture) };
        lines.Add(tutorial is not null
            ? Text("Verification.Buyer.Tutorial", culture, "/Help/" + tutorial.Slug)
            : Text("Verification.Buyer.HelpCentre", culture, "/Help"));
        if (regions.Count > 0)
            lines.Add(Text("Verification.Buyer.Regions", culture, string.Join(Text("Verification.ListSeparator", culture), regions)));
        lines.Add(Text("Verification.Buyer.GuidanceEnd", culture));
        return string.Join("\n", lines);
    }

    /// <summary>
    /// The agent's note (in the language of whoever ran the check; the worker writes Chinese): why a person is
    /// needed, then the facts side by side — when the buyer first saw the key, when the supplier says it was
    /// redeemed, when it was sold.
    /// </summary>
    private void AddFactsNote(Ticket ticket, KeyVerification v, CardKey key, string reason, DateTimeOffset now)
    {
        var never = AppText.Get("Verification.Never");
        // Seconds count here: a reveal and a redemption within one minute are exactly what an agent must tell apart.
        string At(DateTimeOffset? at) =>
            at is { } t ? TimeZoneInfo.ConvertTime(t, ShopTime.Zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : never;
        var answer = v.Answer is { } a ? AppText.Get("Verification.Answer." + a) : never;
        var body = string.Join("\n",
            AppText.Format("Verification.Note.Heading", CardKeyMask.Mask(vault.Open(key).Code), reason),
            AppText.Format("Verification.Note.Revealed", At(v.FirstRevealedAt)),
            AppText.Format("Verification.Note.Redeemed", At(v.SupplierRedeemedAt)),
            AppText.Format("Verification.Note.Sold", At(v.SoldAt)),
            AppText.Format("Verification.Note.Answer", answer, v.SupplierLatencyMs?.ToString(CultureInfo.InvariantCulture) ?? "—"),
            AppText.Format("Verification.Note.Activations", v.ActivationCount),
            AppText.Format("Verification.Note.SoldToBuyer", AppText.Get(v.SoldToBuyer ? "Verification.Yes" : "Verification.No")));
        db.TicketMessages.Add(new TicketMessage(ticket.Id, MessageAuthor.System, null, body, isInternal: true, now));
        desk.Record(ticket, TicketEventKinds.NoteAdded, null, isPublic: false);
    }

    private static string ReasonFor(VerificationOutcome outcome, string? reason, KeyVerification v, VerificationOptions settings, int capUsed) =>
        outcome switch
        {
            VerificationOutcome.CapReached => AppText.Format("Verification.Reason.CapReached",
                (int)Math.Round(settings.ReplacementCapWindow.TotalDays), capUsed, settings.ReplacementCap),
            VerificationOutcome.NoStock => AppText.Get("Verification.Reason.NoStock"),
            VerificationOutcome.HumanReview when v.Answer != SupplierAnswer.Redeemed => AppText.Get("Verification.Reason.Unknown"),
            VerificationOutcome.HumanReview when v.FirstRevealedAt is null => AppText.Get("Verification.Reason.RedeemedUnrevealed"),
            VerificationOutcome.HumanReview => AppText.Get("Verification.Reason.HumanReview"),
            _ => AppText.Get(reason ?? "Verification.Reason.NotDecided"),
        };

    private async Task<CultureInfo> BuyerCultureAsync(Guid buyerId, CancellationToken ct)
    {
        var preferred = await db.Users.Where(u => u.Id == buyerId).Select(u => u.PreferredCulture).FirstOrDefaultAsync(ct);
        return VisitorLanguage.Of(preferred);
    }

    private static string Text(string key, CultureInfo culture, params object[] args) =>
        string.Format(culture, AppText.Get(key, culture), args);

    private sealed record RecordedFacts(bool SoldToBuyer, DateTimeOffset? FirstRevealedAt, int Activations);
}

/// <summary>
/// What one run did. <see cref="Ran"/> is false when the check was already done (its earlier outcome is
/// given) or another worker is running it right now.
/// </summary>
public sealed record VerificationRun(Guid VerificationId, bool Ran, VerificationOutcome? Outcome, SupplierAnswer? Answer);
