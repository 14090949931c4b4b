using System.Globalization;
using CardMall.Application.Features.Risk;
using CardMall.Domain.Accounts;
using CardMall.Domain.Risk;
using Microsoft.Extensions.Localization;

namespace CardMall.Web.Pages.Admin.Incidents;

/// <summary>How the incident and supplier pages word an incident: its reason with the figures, status badges, rates.</summary>
public static class IncidentDisplay
{
    /// <summary>Who sees the incident pages: operators run incidents, supervisors follow the tickets in them.</summary>
    public const string ReaderRoles = ShopRoles.Operator + "," + ShopRoles.Supervisor + "," + ShopRoles.Admin;

    public static string Reason(IncidentReason reason, IStringLocalizer t) => reason.Kind switch
    {
        IncidentReason.ComplaintsInWindow => t["Incidents.Reason.InWindow", reason.Complaints, Number(reason.WindowHours)],
        IncidentReason.ComplaintRate => t["Incidents.Reason.Rate", Number(reason.RatePercent), reason.Complaints, reason.Sold, Number(reason.ThresholdPercent)],
        _ => reason.Kind,
    };

    public static string StatusWord(IncidentStatus status, IStringLocalizer t) => t["Incidents.Status." + status];

    public static string StatusBadge(IncidentStatus status) => status switch
    {
        IncidentStatus.Open => "text-bg-danger",
        IncidentStatus.Remedied => "text-bg-warning",
        _ => "text-bg-secondary",
    };

    public static string RemedyWord(IncidentRemedy remedy, IStringLocalizer t) => t["Incidents.Remedy." + remedy];

    /// <summary>12.5% — or a dash when there is nothing to divide by.</summary>
    public static string Percent(double? rate) => rate is { } r ? (r * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%" : "—";

    public static string Milliseconds(double? ms) => ms is { } v ? Math.Round(v).ToString("#,0", CultureInfo.InvariantCulture) + " ms" : "—";

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
