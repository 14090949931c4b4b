using System.Globalization;

namespace CardMall.Domain.Outreach;

/// <summary>
/// The Chinese holidays the shop greets on, computed from the lunar calendar .NET ships
/// (<see cref="ChineseLunisolarCalendar"/>, 1901–2100) rather than a table of dates someone must keep up:
/// Spring Festival (春节) is the 1st day of the 1st month, Mid-Autumn (中秋) the 15th of the 8th.
/// </summary>
public static class ChineseHolidays
{
    private static readonly ChineseLunisolarCalendar Lunar = new();

    /// <summary>正月初一 of the lunar year that starts in Gregorian <paramref name="year"/> (late January to mid-February).</summary>
    public static DateOnly SpringFestival(int year) => Gregorian(year, lunarMonth: 1, day: 1);

    /// <summary>八月十五 of <paramref name="year"/> (September or early October).</summary>
    public static DateOnly MidAutumn(int year) => Gregorian(year, lunarMonth: 8, day: 15);

    /// <summary>The holiday <paramref name="date"/> is, if any (outside the calendar's years: none).</summary>
    public static GreetingOccasion? On(DateOnly date)
    {
        if (date.Year <= Lunar.MinSupportedDateTime.Year || date.Year >= Lunar.MaxSupportedDateTime.Year) return null;
        if (date == SpringFestival(date.Year)) return GreetingOccasion.SpringFestival;
        if (date == MidAutumn(date.Year)) return GreetingOccasion.MidAutumn;
        return null;
    }

    private static DateOnly Gregorian(int year, int lunarMonth, int day)
    {
        // In a year with a leap month the calendar numbers months 1–13: the leap month and every month after
        // it move up by one (GetLeapMonth = 7 means the 7th month is 闰六月, so 八月 is the 9th).
        var leap = Lunar.GetLeapMonth(year);
        var month = leap > 0 && leap <= lunarMonth ? lunarMonth + 1 : lunarMonth;
        return DateOnly.FromDateTime(Lunar.ToDateTime(year, month, day, 0, 0, 0, 0));
    }
}
