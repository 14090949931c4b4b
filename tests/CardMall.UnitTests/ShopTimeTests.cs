using CardMall.Domain.Common;

namespace CardMall.UnitTests;

public sealed class ShopTimeTests
{
    [Fact]
    public void A_shop_day_starts_at_midnight_in_Beijing()
    {
        // 01:30 on the 22nd in Beijing is still the 21st in UTC.
        var at = new DateTimeOffset(2026, 11, 21, 17, 30, 0, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2026, 11, 21, 16, 0, 0, TimeSpan.Zero), ShopTime.StartOfDay(at));
        Assert.Equal("2026-11-22 01:30", ShopTime.Minutes(at));
        Assert.Equal("2026-11-22", ShopTime.Day(at));
    }

    [Fact]
    public void Valid_until_a_day_means_through_its_last_second_in_Beijing()
    {
        var end = ShopTime.EndOfDay(new DateOnly(2026, 12, 31));

        Assert.Equal(new DateTimeOffset(2026, 12, 31, 15, 59, 59, TimeSpan.Zero), end);
    }
}
