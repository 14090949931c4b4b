using CardMall.Domain.Outreach;

namespace CardMall.UnitTests.Outreach;

/// <summary>
/// The days the shop greets on, against the dates printed in Chinese calendars (checked with the almanac, not
/// with the code): years with a leap month before 八月 (2017 闰六月, 2020 闰四月, 2023 闰二月, 2028 闰五月) are
/// where a naive "8th month" would land a month late.
/// </summary>
public sealed class GreetingCalendarTests
{
    [Theory]
    [InlineData(2017, 1, 28)]
    [InlineData(2020, 1, 25)]
    [InlineData(2023, 1, 22)]
    [InlineData(2025, 1, 29)]
    [InlineData(2026, 2, 17)]
    [InlineData(2027, 2, 6)]
    [InlineData(2028, 1, 26)]
    public void Spring_Festival_is_the_first_day_of_the_first_lunar_month(int year, int month, int day) =>
        Assert.Equal(new DateOnly(year, month, day), ChineseHolidays.SpringFestival(year));

    [Theory]
    [InlineData(2017, 10, 4)]
    [InlineData(2020, 10, 1)]
    [InlineData(2023, 9, 29)]
    [InlineData(2025, 10, 6)]
    [InlineData(2026, 9, 25)]
    [InlineData(2027, 9, 15)]
    [InlineData(2028, 10, 3)]
    public void Mid_Autumn_is_the_fifteenth_of_the_eighth_lunar_month_also_after_a_leap_month(int year, int month, int day) =>
        Assert.Equal(new DateOnly(year, month, day), ChineseHolidays.MidAutumn(year));

    [Fact]
    public void A_day_is_a_holiday_only_on_the_day_itself()
    {
        Assert.Equal(GreetingOccasion.SpringFestival, ChineseHolidays.On(new DateOnly(2027, 2, 6)));
        Assert.Equal(GreetingOccasion.MidAutumn, ChineseHolidays.On(new DateOnly(2027, 9, 15)));
        Assert.Null(ChineseHolidays.On(new DateOnly(2027, 2, 5)));
        Assert.Null(ChineseHolidays.On(new DateOnly(2027, 9, 16)));
        Assert.Null(ChineseHolidays.On(new DateOnly(2027, 1, 1)));
    }

    [Fact]
    public void A_birthday_on_a_holiday_is_one_greeting_the_birthday_and_switched_off_occasions_do_not_count()
    {
        var all = new GreetingSwitches(Birthday: true, SpringFestival: true, MidAutumn: true);
        var midAutumn = new DateOnly(2027, 9, 15);
        var birthday = new Birthday(9, 15);

        Assert.Equal(GreetingOccasion.Birthday, Greeting.For(midAutumn, birthday, all));
        Assert.Equal(GreetingOccasion.MidAutumn, Greeting.For(midAutumn, null, all));
        Assert.Equal(GreetingOccasion.MidAutumn, Greeting.For(midAutumn, birthday, all with { Birthday = false }));
        Assert.Null(Greeting.For(midAutumn, null, all with { MidAutumn = false }));
        Assert.Equal(GreetingOccasion.Birthday, Greeting.For(new DateOnly(2027, 3, 8), new Birthday(3, 8), all));
        Assert.Null(Greeting.For(new DateOnly(2027, 3, 9), new Birthday(3, 8), all));
    }

    [Fact]
    public void Month_and_day_must_be_a_day_of_the_year_and_29_February_is_kept_on_the_28th_in_other_years()
    {
        Assert.True(Birthday.IsValid(2, 29));
        Assert.False(Birthday.IsValid(2, 30));
        Assert.False(Birthday.IsValid(4, 31));
        Assert.False(Birthday.IsValid(13, 1));
        Assert.False(Birthday.IsValid(0, 1));
        Assert.Null(Birthday.From(3, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Birthday(2, 30));

        var leapDay = new Birthday(2, 29);
        Assert.True(leapDay.FallsOn(new DateOnly(2028, 2, 29)));
        Assert.False(leapDay.FallsOn(new DateOnly(2028, 2, 28)));
        Assert.True(leapDay.FallsOn(new DateOnly(2027, 2, 28)));
        Assert.False(leapDay.FallsOn(new DateOnly(2027, 3, 1)));
    }
}
