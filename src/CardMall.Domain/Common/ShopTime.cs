using System.Globalization;

namespace CardMall.Domain.Common;

/// <summary>
/// The shop's own clock face: Beijing time. Days (daily purchase limits, "valid until" dates) are shop
/// days, and times on pages are shown in it. Stored times stay UTC.
/// </summary>
public static class ShopTime
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>2026-11-22 17:50</summary>
    public static string Minutes(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>2026-11-22</summary>
    public static string Day(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, Zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The UTC instant the shop day containing <paramref name="at"/> began.</summary>
    public static DateTimeOffset StartOfDay(DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, Zone);
        return new DateTimeOffset(local.Date, local.Offset).ToUniversalTime();
    }

    /// <summary>The last second of a shop day: a key "valid until 2026-12-31" works through that whole day.</summary>
    public static DateTimeOffset EndOfDay(DateOnly day)
    {
        var midnight = day.AddDays(1).ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(midnight, Zone.GetUtcOffset(midnight)).AddSeconds(-1).ToUniversalTime();
    }
}
