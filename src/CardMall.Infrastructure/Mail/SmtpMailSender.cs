using CardMall.Application.Abstractions;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Text;

namespace CardMall.Infrastructure.Mail;

/// <summary>
/// Sends through MailKit's SMTP client (docs/decisions/0012): implicit TLS on 465, STARTTLS on 587, as
/// <see cref="MailOptions.Security"/> says. A new connection per e-mail: the client is not safe to share between
/// the dispatcher's passes, and the outbox sends a handful at a time. With a pickup directory the e-mail is
/// written there as an .eml file instead, with 8-bit bodies and UTF-8 headers so that the file reads as plain text.
/// </summary>
internal sealed class SmtpMailSender(IOptions<MailOptions> options) : IMailSender
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.IsConfigured)
            throw new InvalidOperationException("No mail transport is configured (CardMall:Mail:Host or CardMall:Mail:PickupDirectory).");
        var toPickup = !string.IsNullOrWhiteSpace(settings.PickupDirectory);
        using var mail = Compose(settings, message, toPickup ? ContentEncoding.EightBit : ContentEncoding.Base64);

        if (toPickup)
        {
            Directory.CreateDirectory(settings.PickupDirectory!);
            var path = Path.Combine(settings.PickupDirectory!, Guid.NewGuid().ToString("N") + ".eml");
            var format = FormatOptions.Default.Clone();
            format.International = true;
            format.NewLineFormat = NewLineFormat.Dos;
            // Written under a temporary name and then renamed, so that a reader of the directory never sees half a file.
            await mail.WriteToAsync(format, path + ".tmp", cancellationToken);
            File.Move(path + ".tmp", path);
            return;
        }

        using var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        await client.ConnectAsync(settings.Host!, settings.Port, settings.EffectiveSecurity, cancellationToken);
        if (!string.IsNullOrEmpty(settings.UserName))
            await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", cancellationToken);
        await client.SendAsync(mail, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }

    private static MimeMessage Compose(MailOptions settings, EmailMessage message, ContentEncoding bodyEncoding)
    {
        var mail = new MimeMessage { Subject = message.Subject };
        mail.From.Add(MailboxAddress.Parse(settings.From));
        mail.To.Add(new MailboxAddress(message.ToName ?? "", message.To));
        var text = new TextPart(TextFormat.Plain) { Text = message.TextBody, ContentTransferEncoding = bodyEncoding };
        mail.Body = message.HtmlBody is { } html
            ? new MultipartAlternative { text, new TextPart(TextFormat.Html) { Text = html, ContentTransferEncoding = bodyEncoding } }
            : text;
        return mail;
    }
}
