using System.Globalization;
using System.Text.Json;
using CardMall.Application.Features.Dashboards;
using CardMall.Web.Pages.Admin.Tickets;
using CardMall.Web.Pages.Products;
using Microsoft.Extensions.Localization;
using ShopDashboard = CardMall.Application.Features.Dashboards.Dashboard;

namespace CardMall.Web.Pages.Admin.Dashboard;

/// <summary>Which way a figure should move for the shop to be doing better.</summary>
public enum Better
{
    Up,
    Down,

    /// <summary>Neither way is a finding in itself (refunds an agent issued): the change shows without a colour.</summary>
    Neither,
}

/// <summary>How a card words its change against the previous period.</summary>
public enum ChangeKind
{
    /// <summary>Counts, money and times: "+12.5%" of the previous value.</summary>
    Relative,

    /// <summary>Rates: the difference in percentage points, since "+50%" of a 2% rate reads as alarming and says little.</summary>
    Points,

    /// <summary>Ratings and per-thousand figures: the plain difference.</summary>
    Absolute,
}

/// <summary>
/// One headline card: the worded value for the period and the previous one, and the change between them.
/// <see cref="Trend"/> is the sign of the change (0 also when either side has no data); <see cref="Good"/> is
/// null when the figure did not move or cannot be compared.
/// </summary>
public sealed record Kpi(string Key, string Label, string Value, string Previous, string Change, int Trend, bool? Good, string? Detail = null, string? Hint = null);

/// <summary>
/// How the dashboard words its figures: numbers and money in invariant digits like the rest of the staff
/// pages, percentages with one decimal, durations in the two units that matter, and "—" for "no data".
/// </summary>
public static class DashboardDisplay
{
    public const string NoData = "—";

    public static string Count(double? n) => n is { } v ? v.ToString("#,0", CultureInfo.InvariantCulture) : NoData;

    public static string Money(double? amount) => amount is { } v ? ShopDisplay.Yuan((decimal)v) : NoData;

    /// <summary>A share as a percentage with one decimal: 0.125 → 12.5%.</summary>
    public static string Percent(double? share) => share is { } s ? (s * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : NoData;

    public static string OneDecimal(double? n) => n is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : NoData;

    public static string Rating(double? average) => average is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : NoData;

    public static string Milliseconds(double? ms) => ms is { } v ? Math.Round(v).ToString("#,0", CultureInfo.InvariantCulture) + " ms" : NoData;

    /// <summary>
    /// Seconds worded for people: seconds under a minute, minutes under an hour, hours and minutes up to
    /// 48 hours (a two-day SLA reads better as "36 小时" than "1 天 12 小时"), days and hours beyond.
    /// </summary>
    public static string Duration(double? seconds, IStringLocalizer t)
    {
        if (seconds is not { } value) return NoData;
        var sign = value < 0 ? "-" : "";
        var s = Math.Abs(value);
        if (Math.Round(s) < 60) return sign + t["Dashboard.Duration.Seconds", (long)Math.Round(s)];
        var minutes = (long)Math.Round(s / 60);
        if (minutes < 60) return sign + t["Dashboard.Duration.Minutes", minutes];
        if (minutes < 48 * 60)
            return sign + Join(t["Dashboard.Duration.Hours", minutes / 60], minutes % 60 == 0 ? null : t["Dashboard.Duration.Minutes", minutes % 60].Value);
        var hours = (long)Math.Round(s / 3600);
        return sign + Join(t["Dashboard.Duration.Days", hours / 24], hours % 24 == 0 ? null : t["Dashboard.Duration.Hours", hours % 24].Value);
    }

    private static string Join(string first, string? second) => second is null ? first : first + " " + second;

    /// <summary>Builds a card from the period's and the previous period's raw values.</summary>
    public static Kpi Card(string key, string label, double? now, double? before, Func<double?, string> format, Better better, ChangeKind kind,
        IStringLocalizer t, string? detail = null, string? hint = null)
    {
        if (now is not { } n || before is not { } b)
            return new Kpi(key, label, format(now), format(before), NoData, 0, null, detail, hint);
        var diff = n - b;
        // Rounding noise (a rate recomputed from the same counts) is no change.
        var trend = Math.Abs(diff) < 1e-9 ? 0 : Math.Sign(diff);
        var sign = trend > 0 ? "+" : trend < 0 ? "-" : "";
        var change = trend == 0 ? t["Dashboard.Change.Unchanged"].Value : kind switch
        {
            ChangeKind.Points => t["Dashboard.Change.Points", sign + (Math.Abs(diff) * 100).ToString("0.0", CultureInfo.InvariantCulture)].Value,
            ChangeKind.Relative when b != 0 => sign + (Math.Abs(diff) / Math.Abs(b) * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%",
            // From nothing to something has no percentage: say by how much instead.
            ChangeKind.Relative => sign + format(Math.Abs(diff)),
            _ => sign + format(Math.Abs(diff)),
        };
        bool? good = trend == 0 || better == Better.Neither ? null : (trend > 0) == (better == Better.Up);
        return new Kpi(key, label, format(now), format(before), change, trend, good, detail, hint);
    }

    /// <summary>The shop's headline cards, in the four groups the page shows them in.</summary>
    public static IReadOnlyList<(string Title, IReadOnlyList<Kpi> Cards)> Headline(ShopDashboard d, IStringLocalizer t)
    {
        var (c, p) = (d.Current, d.Previous);
        string Dur(double? s) => Duration(s, t);
        Kpi K(string key, string label, Func<DashboardFigures, double?> value, Func<double?, string> format, Better better, ChangeKind kind,
            string? detail = null, string? hint = null) =>
            Card(key, t[label].Value, value(c), value(p), format, better, kind, t, detail, hint is null ? null : t[hint].Value);

        var clockHint = "Dashboard.Kpi.ClockHint";
        return
        [
            (t["Dashboard.Section.Sales"], [
                K("orders", "Dashboard.Kpi.Orders", f => f.Orders, Count, Better.Up, ChangeKind.Relative),
                K("revenue", "Dashboard.Kpi.Revenue", f => (double)f.Revenue, Money, Better.Up, ChangeKind.Relative),
                K("buyers", "Dashboard.Kpi.Buyers", f => f.Buyers, Count, Better.Up, ChangeKind.Relative),
                K("repurchase-rate", "Dashboard.Kpi.RepurchaseRate", f => f.RepurchaseRate, Percent, Better.Up, ChangeKind.Points,
                    t["Dashboard.Kpi.RepurchaseDetail", c.RepeatBuyers, c.Buyers], "Dashboard.Kpi.RepurchaseHint"),
            ]),
            (t["Dashboard.Section.AfterSales"], [
                K("after-sales-rate", "Dashboard.Kpi.AfterSalesRate", f => f.AfterSalesRate, Percent, Better.Down, ChangeKind.Points,
                    t["Dashboard.Kpi.TicketsDetail", c.Tickets], "Dashboard.Kpi.AfterSalesHint"),
                K("complaints-per-thousand", "Dashboard.Kpi.Complaints", f => f.ComplaintsPerThousandOrders, OneDecimal, Better.Down, ChangeKind.Absolute,
                    t["Dashboard.Kpi.ComplaintsDetail", c.Complaints], "Dashboard.Kpi.ComplaintsHint"),
                K("refunded", "Dashboard.Kpi.Refunded", f => (double)f.Refunded, Money, Better.Down, ChangeKind.Relative),
                K("refund-rate", "Dashboard.Kpi.RefundRate", f => f.RefundRate, Percent, Better.Down, ChangeKind.Points, hint: "Dashboard.Kpi.RefundRateHint"),
                K("compensated", "Dashboard.Kpi.Compensated", f => (double)f.Compensated, Money, Better.Down, ChangeKind.Relative),
            ]),
            (t["Dashboard.Section.Speed"], [
                K("first-response-median", "Dashboard.Kpi.FirstResponseMedian", f => f.FirstResponseMedian, Dur, Better.Down, ChangeKind.Relative, hint: clockHint),
                K("first-response-p90", "Dashboard.Kpi.FirstResponseP90", f => f.FirstResponseP90, Dur, Better.Down, ChangeKind.Relative, hint: clockHint),
                K("resolution-median", "Dashboard.Kpi.ResolutionMedian", f => f.ResolutionMedian, Dur, Better.Down, ChangeKind.Relative, hint: clockHint),
                K("resolution-p90", "Dashboard.Kpi.ResolutionP90", f => f.ResolutionP90, Dur, Better.Down, ChangeKind.Relative, hint: clockHint),
                K("first-response-sla", "Dashboard.Kpi.FirstResponseSla", f => f.FirstResponseCompliance, Percent, Better.Up, ChangeKind.Points,
                    t["Dashboard.Kpi.SlaDetail", c.FirstResponseMet, c.FirstResponseDecided]),
                K("resolution-sla", "Dashboard.Kpi.ResolutionSla", f => f.ResolutionCompliance, Percent, Better.Up, ChangeKind.Points,
                    t["Dashboard.Kpi.SlaDetail", c.ResolutionMet, c.ResolutionDecided]),
                K("breached", "Dashboard.Kpi.Breached", f => f.Breached, Count, Better.Down, ChangeKind.Relative),
            ]),
            (t["Dashboard.Section.Quality"], [
                K("reopen-rate", "Dashboard.Kpi.ReopenRate", f => f.ReopenRate, Percent, Better.Down, ChangeKind.Points,
                    t["Dashboard.Kpi.OfTickets", c.Reopened, c.Tickets]),
                K("urge-rate", "Dashboard.Kpi.UrgeRate", f => f.UrgeRate, Percent, Better.Down, ChangeKind.Points,
                    t["Dashboard.Kpi.OfTickets", c.Urged, c.Tickets]),
                K("rating-average", "Dashboard.Kpi.RatingAverage", f => f.AverageRating, Rating, Better.Up, ChangeKind.Absolute,
                    t["Dashboard.Kpi.RatingDetail", c.Rated]),
                K("rating-satisfied", "Dashboard.Kpi.Satisfied", f => f.SatisfiedShare, Percent, Better.Up, ChangeKind.Points,
                    t["Dashboard.Kpi.SatisfiedDetail", c.RatedFourOrMore, c.Rated]),
            ]),
            (t["Dashboard.Section.Assistant"], [
                K("assistant-deflection", "Dashboard.Kpi.Deflection", f => f.DeflectionRate, Percent, Better.Up, ChangeKind.Points,
                    t["Dashboard.Kpi.OfConversations", c.AssistantDeflected, c.AssistantConversations], "Dashboard.Kpi.DeflectionHint"),
                K("assistant-escalation", "Dashboard.Kpi.Escalation", f => f.EscalationRate, Percent, Better.Down, ChangeKind.Points,
                    t["Dashboard.Kpi.OfConversations", c.AssistantEscalated, c.AssistantConversations]),
            ]),
            (t["Dashboard.Section.LiveChat"], LiveChat(c.Chat ?? ChatFigures.None, p.Chat ?? ChatFigures.None, t)),
        ];
    }

    /// <summary>Live chat: time to a person against the target, abandoned chats, chats per agent, satisfaction, ended without a ticket.</summary>
    private static IReadOnlyList<Kpi> LiveChat(ChatFigures c, ChatFigures p, IStringLocalizer t)
    {
        string Dur(double? s) => Duration(s, t);
        Kpi K(string key, string label, Func<ChatFigures, double?> value, Func<double?, string> format, Better better, ChangeKind kind,
            string? detail = null, string? hint = null) =>
            Card(key, t[label].Value, value(c), value(p), format, better, kind, t, detail, hint is null ? null : t[hint, c.TargetSeconds].Value);
        return
        [
            K("chat-to-person-median", "Dashboard.Kpi.ToPersonMedian", f => f.ToPersonMedian, Dur, Better.Down, ChangeKind.Relative,
                t["Dashboard.Kpi.WithinTarget", Percent(c.WithinTargetShare), c.TargetSeconds], "Dashboard.Kpi.ToPersonHint"),
            K("chat-to-person-p90", "Dashboard.Kpi.ToPersonP90", f => f.ToPersonP90, Dur, Better.Down, ChangeKind.Relative,
                t["Dashboard.Kpi.TargetIs", c.TargetSeconds], "Dashboard.Kpi.ToPersonHint"),
            K("chat-abandoned", "Dashboard.Kpi.ChatsAbandoned", f => f.AbandonedShare, Percent, Better.Down, ChangeKind.Points,
                t["Dashboard.Kpi.OfChats", c.Abandoned, c.Chats]),
            K("chats-per-agent", "Dashboard.Kpi.ChatsPerAgent", f => f.ChatsPerAgent, OneDecimal, Better.Neither, ChangeKind.Relative,
                t["Dashboard.Kpi.ChatsPerAgentDetail", c.Reached, c.Agents]),
            K("chat-rating-average", "Dashboard.Kpi.ChatRatingAverage", f => f.AverageRating, Rating, Better.Up, ChangeKind.Absolute,
                t["Dashboard.Kpi.RatingDetail", c.Rated]),
            K("chat-satisfied", "Dashboard.Kpi.Satisfied", f => f.SatisfiedShare, Percent, Better.Up, ChangeKind.Points,
                t["Dashboard.Kpi.SatisfiedDetail", c.RatedFourOrMore, c.Rated]),
            K("chat-without-ticket", "Dashboard.Kpi.ChatsWithoutTicket", f => f.WithoutTicketShare, Percent, Better.Up, ChangeKind.Points,
                t["Dashboard.Kpi.OfChats", c.EndedWithoutTicket, c.Ended], "Dashboard.Kpi.ChatsWithoutTicketHint"),
        ];
    }

    /// <summary>An agent's own cards: the same figures as their row in the operators' agent table.</summary>
    public static IReadOnlyList<Kpi> Mine(AgentFigures? now, AgentFigures? before, IStringLocalizer t)
    {
        // No row means no ticket and no refund in the period: counts are zero, medians and ratings have no data.
        double? Handled(AgentFigures? f) => f?.Handled ?? 0;
        double? Refunds(AgentFigures? f) => (double)(f?.RefundsIssued ?? 0m);
        double? Rated(AgentFigures? f) => f?.Rated ?? 0;
        string Dur(double? s) => Duration(s, t);
        var clockHint = t["Dashboard.Kpi.ClockHint"].Value;
        return
        [
            Card("handled", t["Dashboard.Kpi.Handled"], Handled(now), Handled(before), Count, Better.Up, ChangeKind.Relative, t, hint: t["Dashboard.Kpi.HandledHint"]),
            Card("first-response-median", t["Dashboard.Kpi.FirstResponseMedian"], now?.FirstResponseMedian, before?.FirstResponseMedian, Dur, Better.Down, ChangeKind.Relative, t, hint: clockHint),
            Card("resolution-median", t["Dashboard.Kpi.ResolutionMedian"], now?.ResolutionMedian, before?.ResolutionMedian, Dur, Better.Down, ChangeKind.Relative, t, hint: clockHint),
            Card("rated", t["Dashboard.Kpi.Rated"], Rated(now), Rated(before), Count, Better.Up, ChangeKind.Relative, t),
            Card("rating-average", t["Dashboard.Kpi.RatingAverage"], now?.AverageRating, before?.AverageRating, Rating, Better.Up, ChangeKind.Absolute, t),
            Card("refunds-issued", t["Dashboard.Kpi.RefundsIssued"], Refunds(now), Refunds(before), Money, Better.Neither, ChangeKind.Relative, t),
        ];
    }

    /// <summary>
    /// What dashboard.js draws, as JSON for a &lt;script type="application/json"&gt; block: the daily series,
    /// the categories and the words for legends and axes. The serializer escapes &lt; and &gt;, so no text in
    /// it can close the block.
    /// </summary>
    public static string Charts(ShopDashboard d, IStringLocalizer t) => JsonSerializer.Serialize(new
    {
        days = d.Daily.Select(x => x.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        orders = d.Daily.Select(x => x.Orders),
        tickets = d.Daily.Select(x => x.Tickets),
        // Percent with one decimal, as the cards show it; null where no ticket's first response was due yet.
        firstResponseSla = d.Daily.Select(x => x.FirstResponseCompliance is { } r ? Math.Round(r * 100, 1) : (double?)null),
        rating = d.Daily.Select(x => x.AverageRating is { } r ? Math.Round(r, 2) : (double?)null),
        rated = d.Daily.Select(x => x.Rated),
        categories = d.Categories.Select(c => new { label = TicketDisplay.Word(c.Category), tickets = c.Tickets }),
        text = new
        {
            day = t["Dashboard.Chart.Day"].Value,
            orders = t["Dashboard.Chart.Orders"].Value,
            tickets = t["Dashboard.Chart.Tickets"].Value,
            compliance = t["Dashboard.Chart.Compliance"].Value,
            rating = t["Dashboard.Chart.Rating"].Value,
            rated = t["Dashboard.Chart.Rated"].Value,
            category = t["Dashboard.Chart.Category"].Value,
        },
    });
}
