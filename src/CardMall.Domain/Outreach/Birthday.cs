namespace CardMall.Domain.Outreach;

/// <summary>
/// A buyer's birthday as the shop keeps it: month and day only. The year is never asked for — a greeting
/// needs no age, and a full date of birth is personal data the shop has no use for.
/// </summary>
public readonly record struct Birthday
{
    public Birthday(int month, int day)
    {
        if (!IsValid(month, day)) throw new ArgumentOutOfRangeException(nameof(day), "Not a day of the year.");
        Month = month;
        Day = day;
    }

    public int Month { get; }
    public int Day { get; }

    /// <summary>A day some year has: 29 February counts, 30 February does not.</summary>
    public static bool IsValid(int month, int day) => month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(2024, month);

    /// <summary>Both or neither: half a birthday is no birthday.</summary>
    public static Birthday? From(int? month, int? day) => month is { } m && day is { } d && IsValid(m, d) ? new Birthday(m, d) : null;

    /// <summary>The birthday's day in <paramref name="date"/>'s year; a 29 February birthday is kept on the 28th in other years.</summary>
    public bool FallsOn(DateOnly date) =>
        date.Month == Month && (date.Day == Day || (Month == 2 && Day == 29 && date.Day == 28 && !DateTime.IsLeapYear(date.Year)));
}
