using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CardMall.Application.Features.Notifications;

/// <summary>
/// One pass of the e-mail outbox: claims up to <see cref="BatchSize"/> due e-mails (FOR UPDATE SKIP
/// LOCKED, so several web nodes share the work without sending one twice), words each in the
/// recipient's language from its notification, sends it and marks it sent — or failed, to be tried
/// again after a back-off, until <see cref="Domain.Notifications.OutgoingEmail.MaxAttempts"/> failures give it up. The claim holds until the pass commits; an e-mail whose pass dies before the
/// commit is sent again by a later pass (at least once, never lost). Notifications never carry card keys,
/// so neither do the e-mails.
/// </summary>
public sealed record DispatchEmails(string PublicBaseUrl, int BatchSize = 50) : ICommand<EmailsDispatched>;

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
    ICardMallDb db, IMailSender sender, INotificationWording wording, TimeProvider clock, ILogger<DispatchEmailsHandler> logger)
    : IRequestHandler<DispatchEmails, EmailsDispatched>
{
    public async Task<EmailsDispatched> Handle(DispatchEmails request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var due = await db.OutgoingEmails.FromSql($"""
            SELECT * FROM outgoing_emails
            WHERE sent_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= {now}
            ORDER BY next_attempt_at
            LIMIT {request.BatchSize}
            FOR UPDATE SKIP LOCKED
            """).ToListAsync(cancellationToken);
        if (due.Count == 0) return new EmailsDispatched(0, 0);

        var notificationIds = due.Select(e => e.NotificationId).Distinct().ToList();
        var notifications = await db.Notifications.AsNoTracking().Where(n => notificationIds.Contains(n.Id))
            .ToDictionaryAsync(n => n.Id, cancellationToken);
        var userIds = due.Select(e => e.UserId).Distinct().ToList();
        var recipients = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id))
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.PreferredCulture, u.EmailConfirmed })
            .ToDictionaryAsync(u => u.Id, cancellationToken);
        var baseUrl = request.PublicBaseUrl.TrimEnd('/');

        int sent = 0, failed = 0;
        foreach (var email in due)
        {
            // Both rows are tied to the e-mail by foreign keys (cascade delete), so they are there.
            var notification = notifications[email.NotificationId];
            var recipient = recipients[email.UserId];
            if (string.IsNullOrWhiteSpace(recipient.Email))
            {
                email.GiveUp("The account has no e-mail address.", now);
                failed++;
                continue;
            }
            // Until the address is confirmed it may belong to somebody else: only the confirmation link goes there.
            if (!recipient.EmailConfirmed && notification.Kind != CardMall.Application.Accounts.AccountMail.ConfirmEmail)
            {
                email.GiveUp("The account's e-mail address is not confirmed yet.", now);
                failed++;
                continue;
            }
            try
            {
                var link = notification.Link is { } path ? baseUrl + (path.StartsWith('/') ? path : "/" + path) : null;
                var worded = wording.Email(notification.Kind, notification.ArgList, recipient.PreferredCulture, recipient.DisplayName, link);
                await sender.SendAsync(new EmailMessage(recipient.Email, recipient.DisplayName, worded.Subject, worded.TextBody, worded.HtmlBody),
                    cancellationToken);
                email.MarkSent(clock.GetUtcNow());
                sent++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                email.MarkFailed(ex.Message, now);
                failed++;
                if (email.GaveUpAt is null)
                    logger.LogWarning(ex, "E-mail {EmailId} ({Kind}) could not be sent, attempt {Attempts}; tries again at {NextAttemptAt}",
                        email.Id, notification.Kind, email.Attempts, email.NextAttemptAt);
                else
                    logger.LogError(ex, "E-mail {EmailId} ({Kind}) given up after {Attempts} attempts; the notification stays in the shop",
                        email.Id, notification.Kind, email.Attempts);
            }
        }
        return new EmailsDispatched(sent, failed);
    }
}

public sealed record EmailsDispatched(int Sent, int Failed);
