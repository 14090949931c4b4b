using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using CardMall.Application.Features.Tickets;
using CardMall.Application.Localization;
using CardMall.Domain.Tickets;
using CardMall.Domain.Verification;
using Microsoft.AspNetCore.Html;
using Microsoft.Extensions.Localization;

namespace CardMall.Web.Pages.Admin.Tickets;

/// <summary>How the agent workspace shows a ticket's values: worded enums, badge colours, time left.</summary>
public static partial class TicketDisplay
{
    /// <summary>
    /// A message's text, encoded, with the shop's own help-article paths (/Help and /Help/slug, as the system's usage
    /// guidance writes them) made into links the reader can follow. Nothing else becomes a link: a message
    /// typed by a buyer must not be able to send an agent anywhere.
    /// </summary>
    public static IHtmlContent Linked(string body)
    {
        var html = new HtmlContentBuilder();
        var last = 0;
        foreach (Match m in HelpPath().Matches(body))
        {
            html.Append(body[last..m.Index]);
            html.AppendHtml($"<a href=\"{HtmlEncoder.Default.Encode(m.Value)}\" data-testid=\"help-link\">{HtmlEncoder.Default.Encode(m.Value)}</a>");
            last = m.Index + m.Length;
        }
        html.Append(body[last..]);
        return html;
    }

    [GeneratedRegex(@"(?<![\w/.:])/Help(/[A-Za-z0-9][A-Za-z0-9\-]*)?(?!\w)")]
    private static partial Regex HelpPath();

    /// <summary>The worded value of a ticket enum (TicketStatus.Open → 待客服), from the use-case messages.</summary>
    public static string Word<TEnum>(TEnum value) where TEnum : struct, Enum => AppText.Get(typeof(TEnum).Name + "." + value);

    /// <summary>The status as staff say it (待用户), where the buyer's pages say it to the buyer (等待你的回复).</summary>
    public static string StatusWord(TicketStatus status, IStringLocalizer t) => t["Workspace.Status." + status];

    public static string StatusBadge(TicketStatus status) => status switch
    {
        TicketStatus.New => "text-bg-info",
        TicketStatus.Open => "text-bg-primary",
        TicketStatus.WaitingOnBuyer => "text-bg-warning",
        TicketStatus.WaitingOnSupplier => "text-bg-secondary",
        TicketStatus.Resolved => "text-bg-success",
        _ => "text-bg-light border",
    };

    public static string PriorityBadge(TicketPriority priority) => priority switch
    {
        TicketPriority.Urgent => "text-bg-danger",
        TicketPriority.High => "text-bg-warning",
        TicketPriority.Normal => "text-bg-light border",
        _ => "text-bg-light border text-secondary",
    };

    public static string PriorityIcon(TicketPriority priority) => priority switch
    {
        TicketPriority.Urgent => "bi-exclamation-octagon-fill",
        TicketPriority.High => "bi-arrow-up-circle-fill",
        TicketPriority.Normal => "bi-dash-circle",
        _ => "bi-arrow-down-circle",
    };

    /// <summary>For data-due: the browser's countdown reads an ISO instant.</summary>
    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>"1小时 23分" / "1h 23m": the two largest units, as countdown.js writes them.</summary>
    public static string Span(TimeSpan span, IStringLocalizer t)
    {
        var s = (long)Math.Abs(span.TotalSeconds);
        long d = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60, sec = s % 60;
        if (d > 0) return $"{t["Workspace.Due.Days", d]} {t["Workspace.Due.Hours", h]}";
        if (h > 0) return $"{t["Workspace.Due.Hours", h]} {t["Workspace.Due.Minutes", m]}";
        return $"{t["Workspace.Due.Minutes", m]} {t["Workspace.Due.Seconds", sec]}";
    }

    public static string Countdown(DateTimeOffset due, DateTimeOffset now, IStringLocalizer t)
    {
        var left = due - now;
        return left < TimeSpan.Zero ? t["Workspace.Due.Overdue", Span(left, t)] : t["Workspace.Due.Left", Span(left, t)];
    }

    public static string FileSize(int bytes) =>
        bytes >= 1024 * 1024 ? (bytes / 1024d / 1024d).ToString("0.0", CultureInfo.InvariantCulture) + " MB"
        : Math.Max(1, bytes / 1024).ToString(CultureInfo.InvariantCulture) + " KB";

    // ---- Key checks (卡密核验) and key histories, as the verification card and the keys card show them ----

    /// <summary>The supplier's answer to a key check, or a dash when it never answered.</summary>
    public static string AnswerWord(IStringLocalizer t, SupplierAnswer? answer) => answer is { } a ? t["Verification.Answer." + a].Value : "—";

    public static string OutcomeWord(IStringLocalizer t, VerificationOutcome outcome) => t["Verification.Outcome." + outcome].Value;

    public static string OutcomeBadge(VerificationOutcome outcome) => outcome switch
    {
        VerificationOutcome.Replaced => "text-bg-success",
        VerificationOutcome.GuidanceSent => "text-bg-info",
        VerificationOutcome.InterfaceAnomaly => "text-bg-danger",
        VerificationOutcome.NotApplicable => "text-bg-secondary",
        _ => "text-bg-warning",
    };

    public static string TriggerWord(IStringLocalizer t, string trigger) =>
        t["Verification.Trigger." + trigger] is { ResourceNotFound: false } w ? w.Value : trigger;

    public static string SourceWord(IStringLocalizer t, string? source) =>
        source is not null && t["Verification.Source." + source] is { ResourceNotFound: false } w ? w.Value : source ?? "";

    public static string KeyEventWord(IStringLocalizer t, string kind) =>
        t["Workspace.KeyEvent." + kind] is { ResourceNotFound: false } w ? w.Value : kind;

    /// <summary>Reveals and downloads say where the buyer saw the key (channel:web, channel:api …); voids say on which ticket.</summary>
    public static string KeyEventDetail(IStringLocalizer t, string? detail) =>
        detail is { } d && d.StartsWith("channel:", StringComparison.Ordinal) && t["Workspace.Via." + d[8..]] is { ResourceNotFound: false } via
            ? via.Value
        : detail is { } v && v.StartsWith(KeyReplacement.VoidedOnTicket, StringComparison.Ordinal)
            ? t["Workspace.Key.VoidedOnTicket", v[KeyReplacement.VoidedOnTicket.Length..]].Value
        : detail is { } r && r.StartsWith(RefundedKeys.VoidedOnTicket, StringComparison.Ordinal)
            ? t["Workspace.Key.RefundedOnTicket", r[RefundedKeys.VoidedOnTicket.Length..]].Value
        : detail ?? "";

    /// <summary>The evidence page serves staff as well as the ticket's buyer.</summary>
    public static string AttachmentUrl(string ticketNo, Guid id) => $"/Tickets/{Uri.EscapeDataString(ticketNo)}/Attachments/{id}";
}
