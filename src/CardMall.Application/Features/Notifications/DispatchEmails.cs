using CardMall.Application.Abstractions;
using CardMall.Application.Behaviors;
using CardMall.Application.Localization;
using CardMall.Application.Telemetry;
using CardMall.Domain.Notifications;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CardMall.Application.Features.Notifications;

/// <summary>
/// One pass of the e-mail outbox, in three steps so that no database transaction is ever open while the mail
/// server is talked to (an SMTP timeout is 30 seconds; a transaction held that long pins a connection and its
/// row locks):
/// <list type="number">
/// <item><b>claim</b> — a short transaction takes up to <see cref="BatchSize"/> due e-mails (SKIP
/// LOCKED through <see cref="IRowLocks"/>, so several web nodes share the work), counts the attempt and leases them for <see cref="Lease"/>,
/// and commits;</item>
/// <item><b>send</b> — each e-mail is worded in the recipient's language from its notification and handed to
/// the mail server, outside any transaction;</item>
/// <item><b>mark</b> — each outcome (sent, or failed and backed off, or given up after
/// <see cref="Domain.Notifications.OutgoingEmail.MaxAttempts"/>) is written in a transaction of its own,
/// retried on its own on a transient database failure: a database that fails after the mail went out makes
/// the mark try again, never the send.</item>
/// </list>
/// An e-mail whose dispatcher dies between send and mark is sent again once its lease runs out (at least once,
/// never lost). Notifications never carry card keys, so neither do the e-mails. A guest checkout's account has no
/// password: its e-mails link through a signed guest link (<see cref="IGuestLinks"/>, valid for <see cref="GuestLinkValidity"/>)
/// that opens the page signed in as the guest.
/// </summary>
public sealed record DispatchEmails(string PublicBaseUrl, int BatchSize = 50) : IRequest<EmailsDispatched>
{
    /// <summary>
    /// How long a claim keeps other dispatchers off: the whole batch at the mail server's 30-second timeout fits
    /// in it several times over, and a pass stops sending before its lease runs out.
    /// </summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(30);

    /// <summary>What one send may take at most (the SMTP client's timeout) — a pass stops this long before its lease ends.</summary>
    public static readonly TimeSpan SendAllowance = TimeSpan.FromSeconds(30);

    /// <summary>How long the signed link in a guest's e-mail opens the order or ticket.</summary>
    public static readonly TimeSpan GuestLinkValidity = TimeSpan.FromDays(30);
}

public sealed class DispatchEmailsValidator : AbstractValidator<DispatchEmails>
{
    public DispatchEmailsValidator()
    {
        RuleFor(x => x.PublicBaseUrl).Must(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            .WithMessage(_ => AppText.Get("Outbox.PublicBaseUrl"));
        RuleFor(x => x.BatchSize).InclusiveBetween(1, 500);
    }
}

internal sealed class DispatchEmailsHandler(
    ICardMallDb db, IMailSender sender, INotificationWording wording, IGuestLinks guestLinks, TimeProvider clock, ShopMetrics metrics, ILogger<DispatchEmailsHandler> logger)
    : IRequestHandler<DispatchEmails, EmailsDispatched>
{
    public async Task<EmailsDispatched> Handle(DispatchEmails request, CancellationToken cancellationToken)
    {
        var claimedAt = clock.GetUtcNow();
        // The outbox backlog gauge: what waits as this pass starts (a count on a partial index, every few seconds).
        metrics.OutboxBacklog(await db.OutgoingEmails.LongCountAsync(e => e.SentAt == null && e.GaveUpAt == null, cancellationToken));
        var claimed = await db.InOwnTransactionAsync(async ct =>
        {
            var due = await db.Locks.ClaimDueEmailsAsync(claimedAt, request.BatchSize, ct);
            foreach (var email in due) email.Claim(claimedAt, DispatchEmails.Lease);
            return due.Select(e => new Claimed(e.Id, e.NotificationId, e.UserId, e.Attempts)).ToList();
        }, cancellationToken);
        if (claimed.Count == 0) return new EmailsDispatched(0, 0);

        // Read without a transaction: the notifications and addresses do not change under a sent e-mail.
        var notificationIds = claimed.Select(e => e.NotificationId).Distinct().ToList();
        var notifications = await db.Notifications.AsNoTracking().Where(n => notificationIds.Contains(n.Id))
            .ToDictionaryAsync(n => n.Id, cancellationToken);
        var userIds = claimed.Select(e => e.UserId).Distinct().ToList();
        var recipients = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id))
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.PreferredCulture, u.EmailConfirmed, u.IsGuest })
            .ToDictionaryAsync(u => u.Id, cancellationToken);
        var baseUrl = request.PublicBaseUrl.TrimEnd('/');
        var stopBy = claimedAt + DispatchEmails.Lease - DispatchEmails.SendAllowance;

        int sent = 0, failed = 0;
        foreach (var email in claimed)
        {
            // Past this point another dispatcher may take the e-mail: what is left is left to the next pass.
            if (clock.GetUtcNow() >= stopBy) break;
            // Both rows are tied to the e-mail by foreign keys (cascade delete), so they are there.
            var notification = notifications[email.NotificationId];
            var recipient = recipients[email.UserId];
            if (string.IsNullOrWhiteSpace(recipient.Email))
            {
                await MarkAsync(email, e => e.GiveUp("The account has no e-mail address.", claimedAt), cancellationToken);
                failed++;
                continue;
            }
            // Until the address is confirmed it may belong to somebody else: only the confirmation link goes there.
            if (!recipient.EmailConfirmed && notification.Kind != nameof(CardMall.Domain.Notifications.NotificationKind.ConfirmEmail))
            {
                await MarkAsync(email, e => e.GiveUp("The account's e-mail address is not confirmed yet.", claimedAt), cancellationToken);
                failed++;
                continue;
            }
            try
            {
                var page = notification.Link is { } path ? (path.StartsWith('/') ? path : "/" + path) : null;
                var link = page is null ? null
                    : baseUrl + (recipient.IsGuest ? guestLinks.Link(recipient.Id, page, DispatchEmails.GuestLinkValidity) : page);
                var worded = wording.Email(notification.Kind, notification.ArgList, recipient.PreferredCulture, recipient.DisplayName, link);
                await sender.SendAsync(new EmailMessage(recipient.Email, recipient.DisplayName, worded.Subject, worded.TextBody, worded.HtmlBody),
                    cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var gaveUp = email.Attempts >= OutgoingEmail.MaxAttempts;
                await MarkAsync(email, e => e.MarkFailed(ex.Message, claimedAt), cancellationToken);
                failed++;
                if (!gaveUp)
                    logger.LogWarning(ex, "E-mail {EmailId} ({Kind}) could not be sent, attempt {Attempts}; tries again later",
                        email.Id, notification.Kind, email.Attempts);
                else
                    logger.LogError(ex, "E-mail {EmailId} ({Kind}) given up after {Attempts} attempts; the notification stays in the shop",
                        email.Id, notification.Kind, email.Attempts);
                continue;
            }
            sent++;
            await MarkAsync(email, e => e.MarkSent(clock.GetUtcNow()), cancellationToken);
        }
        return new EmailsDispatched(sent, failed);
    }

    /// <summary>
    /// Writes what became of one claimed e-mail in a transaction of its own (retried alone on a transient
    /// failure). A mark that cannot be written at all is logged: the lease keeps the e-mail from being sent
    /// again until it runs out.
    /// </summary>
    private async Task MarkAsync(Claimed claimed, Action<OutgoingEmail> outcome, CancellationToken cancellationToken)
    {
        try
        {
            await db.InOwnTransactionAsync(async ct =>
            {
                var email = await db.OutgoingEmails.FirstAsync(e => e.Id == claimed.Id, ct);
                // Another dispatcher's claim after this lease ran out owns the e-mail now.
                if (email.SentAt is null && email.GaveUpAt is null && email.Attempts == claimed.Attempts) outcome(email);
            }, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "E-mail {EmailId}: its outcome could not be recorded; it is not sent again before its lease ends", claimed.Id);
        }
    }

    private sealed record Claimed(Guid Id, Guid NotificationId, Guid UserId, int Attempts);
}

public sealed record EmailsDispatched(int Sent, int Failed);
