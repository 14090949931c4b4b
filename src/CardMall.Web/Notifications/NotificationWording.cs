using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Web.Localization;
using Microsoft.Extensions.Localization;

namespace CardMall.Web.Notifications;

/// <summary>
/// Words notifications for e-mail with the same texts the notification centre shows
/// (Notification.&lt;Kind&gt;), framed by a greeting, the link and a footer, with the subject from
/// EmailSubject.&lt;Kind&gt; (or a general one). Runs outside any request, so the culture is set for the
/// duration of the call.
/// </summary>
internal sealed class NotificationWording(IStringLocalizer<SharedResource> text) : INotificationWording
{
    // Chinese stays readable in the HTML (still encoded where HTML needs it).
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    public WordedEmail Email(string kind, IReadOnlyList<string> args, string culture, string recipientName, string? absoluteLink)
    {
        var (uiBefore, before) = (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture);
        var language = VisitorLanguage.Of(culture);
        CultureInfo.CurrentUICulture = language;
        CultureInfo.CurrentCulture = language;
        try
        {
            var values = args.ToArray<object>();
            var message = text["Notification." + kind, values];
            var line = message.ResourceNotFound ? text["Notifications.Generic"].Value : message.Value;
            var subject = text["EmailSubject." + kind, values];
            var subjectLine = subject.ResourceNotFound ? text["EmailSubject.Generic"].Value : subject.Value;
            var greeting = string.IsNullOrWhiteSpace(recipientName) ? text["Outbox.GreetingNoName"].Value : text["Outbox.Greeting", recipientName].Value;
            var openLink = text["Outbox.OpenLink"].Value;
            var footer = text["Outbox.Footer"].Value;
            var signature = text["Outbox.Signature"].Value;

            var plain = new StringBuilder()
                .Append(greeting).Append("\n\n")
                .Append(line).Append("\n\n");
            if (absoluteLink is not null) plain.Append(openLink).Append('\n').Append(absoluteLink).Append("\n\n");
            plain.Append(signature).Append("\n\n").Append("-- \n").Append(footer).Append('\n');

            var html = Html;
            var rich = new StringBuilder()
                .Append("<!DOCTYPE html><html lang=\"").Append(language.Name).Append("\"><body style=\"font-family:sans-serif;line-height:1.6;color:#212529\">")
                .Append("<p>").Append(html.Encode(greeting)).Append("</p>")
                .Append("<p>").Append(html.Encode(line)).Append("</p>");
            if (absoluteLink is not null)
                rich.Append("<p><a href=\"").Append(html.Encode(absoluteLink)).Append("\">").Append(html.Encode(openLink.TrimEnd(':', '：'))).Append("</a></p>");
            rich.Append("<p>").Append(html.Encode(signature)).Append("</p>")
                .Append("<p style=\"color:#6c757d;font-size:small\">").Append(html.Encode(footer)).Append("</p></body></html>");

            return new WordedEmail(subjectLine, plain.ToString(), rich.ToString());
        }
        finally
        {
            CultureInfo.CurrentUICulture = uiBefore;
            CultureInfo.CurrentCulture = before;
        }
    }
}
