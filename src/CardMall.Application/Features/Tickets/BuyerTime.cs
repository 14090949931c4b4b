using System.Globalization;
using CardMall.Domain.Common;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// Promised times as the buyer reads them: in the time zone on their account (ShopUser.TimeZoneId),
/// falling back to the shop's own zone when the stored id is unknown to this machine.
/// </summary>
public static class BuyerTime
{
    public static TimeZoneInfo Zone(string? timeZoneId)
    {
        if (string.IsNullOrWhiteSpace(timeZoneId)) return ShopTime.Zone;
        return TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var zone) ? zone : ShopTime.Zone;
    }

    /// <summary>2026-11-22 17:50</summary>
    public static string Minutes(DateTimeOffset at, string? timeZoneId) =>
        TimeZoneInfo.ConvertTime(at, Zone(timeZoneId)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>17:50 when it is today in the buyer's zone, otherwise 2026-11-22 17:50.</summary>
    public static string Compact(DateTimeOffset at, DateTimeOffset now, string? timeZoneId)
    {
        var zone = Zone(timeZoneId);
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var today = TimeZoneInfo.ConvertTime(now, zone).Date;
        return local.ToString(local.Date == today ? "HH:mm" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
    }

    /// <summary>UTC+08:00 — shown next to promised times so nobody wonders which clock they are on.</summary>
    public static string Offset(DateTimeOffset at, string? timeZoneId)
    {
        var offset = Zone(timeZoneId).GetUtcOffset(at);
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        return "UTC" + sign + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);
    }
}
