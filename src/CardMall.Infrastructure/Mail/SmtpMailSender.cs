using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using System.Text;
using CardMall.Application.Abstractions;
using Microsoft.Extensions.Options;

namespace CardMall.Infrastructure.Mail;

/// <summary>
/// Sends through <see cref="SmtpClient"/> (MailKit is not available here: docs/decisions/0012). A new
/// client per e-mail, because SmtpClient is not safe to share between threads. With a pickup directory
/// the e-mail is written there as an .eml file instead, with 8-bit bodies so that the file reads as
/// plain text.
/// </summary>
internal sealed class SmtpMailSender(IOptions<MailOptions> options) : IMailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.IsConfigured)
            throw new InvalidOperationException("No mail transport is configured (CardMall:Mail:Host or CardMall:Mail:PickupDirectory).");
        var toPickup = !string.IsNullOrWhiteSpace(settings.PickupDirectory);
        var bodyEncoding = toPickup ? TransferEncoding.EightBit : TransferEncoding.Base64;

        using var mail = new MailMessage
        {
            From = new MailAddress(settings.From),
            Subject = message.Subject,
            SubjectEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
        };
        mail.To.Add(new MailAddress(message.To, message.ToName, Encoding.UTF8));
        var text = AlternateView.CreateAlternateViewFromString(message.TextBody, Encoding.UTF8, MediaTypeNames.Text.Plain);
        text.TransferEncoding = bodyEncoding;
        mail.AlternateViews.Add(text);
        if (message.HtmlBody is { } html)
        {
            var htmlView = AlternateView.CreateAlternateViewFromString(html, Encoding.UTF8, MediaTypeNames.Text.Html);
            htmlView.TransferEncoding = bodyEncoding;
            mail.AlternateViews.Add(htmlView);
        }

        using var client = new SmtpClient();
        if (toPickup)
        {
            Directory.CreateDirectory(settings.PickupDirectory!);
            client.DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory;
            client.PickupDirectoryLocation = settings.PickupDirectory;
        }
        else
        {
            client.DeliveryMethod = SmtpDeliveryMethod.Network;
            client.Host = settings.Host!;
            client.Port = settings.Port;
            client.EnableSsl = settings.EnableSsl;
            client.Timeout = (int)TimeSpan.FromSeconds(30).TotalMilliseconds;
            if (!string.IsNullOrEmpty(settings.UserName))
                client.Credentials = new NetworkCredential(settings.UserName, settings.Password);
        }
        await client.SendMailAsync(mail, cancellationToken);
    }
}
