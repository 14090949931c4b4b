using CardMall.Application.Localization;
using CardMall.Domain.Common;
using FluentValidation;

namespace CardMall.Application.Features.Dashboards;

/// <summary>
/// A run of whole shop days (Beijing time), both ends included, and the instants that bound it: the
/// dashboards count what happened from <see cref="Start"/> up to, not including, <see cref="End"/>.
/// </summary>
public sealed record DashboardPeriod(DateOnly From, DateOnly To)
{
    /// <summary>The longest period a dashboard is asked for: a year and a bit, so "last 365 days" and a calendar year both fit.</summary>
    public const int MaxDays = 400;

    public int Days => To.DayNumber - From.DayNumber + 1;

    public DateTimeOffset Start => Midnight(From);

    public DateTimeOffset End => Midnight(To.AddDays(1));

    /// <summary>The period of the same length just before this one, for comparison.</summary>
    /// <remarks>Not written into JSON: each period has a previous one, without end.</remarks>
    [System.Text.Json.Serialization.JsonIgnore]
    public DashboardPeriod Previous => new(From.AddDays(-Days), From.AddDays(-1));

    /// <summary>The last <paramref name="days"/> shop days up to and including today.</summary>
    public static DashboardPeriod Last(int days, DateTimeOffset now)
    {
        var today = Today(now);
        return new DashboardPeriod(today.AddDays(1 - days), today);
    }

    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, ShopTime.Zone).Date);

    private static DateTimeOffset Midnight(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, ShopTime.Zone.GetUtcOffset(local)).ToUniversalTime();
    }
}

internal static class DashboardPeriodRules
{
    /// <summary>A period runs forwards and is at most <see cref="DashboardPeriod.MaxDays"/> days long.</summary>
    public static void PeriodRules<T>(this AbstractValidator<T> validator, Func<T, DateOnly> from, Func<T, DateOnly> to)
    {
        // Dates far outside the shop's life only make the day arithmetic overflow: refused, not computed.
        validator.RuleFor(x => from(x)).Must(d => d.Year >= 2000).OverridePropertyName("From")
            .WithMessage(_ => AppText.Get("Dashboard.DateOutOfRange"));
        validator.RuleFor(x => to(x)).Must(d => d.Year <= 2999).OverridePropertyName("To")
            .WithMessage(_ => AppText.Get("Dashboard.DateOutOfRange"));
        validator.RuleFor(x => to(x)).Must((x, end) => end >= from(x)).OverridePropertyName("To")
            .WithMessage(_ => AppText.Get("Dashboard.PeriodReversed"));
        validator.RuleFor(x => to(x)).Must((x, end) => end.DayNumber - from(x).DayNumber < DashboardPeriod.MaxDays).OverridePropertyName("To")
            .WithMessage(_ => AppText.Format("Dashboard.PeriodTooLong", DashboardPeriod.MaxDays));
    }
}
