using CardMall.Application.Features.Tickets;
using CardMall.TestSupport;

namespace CardMall.IntegrationTests.Tickets;

/// <summary>
/// Settings the database cannot honour stop the shop at start, with the reason, instead of failing later on a
/// buyer's upload with a 500.
/// </summary>
public sealed class AfterSalesSettingsTests
{
    [Fact]
    public async Task A_shop_set_to_take_larger_images_than_the_database_keeps_refuses_to_start_and_says_why()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var app = new ShopFactory(db.ConnectionString);
        app.Settings["CardMall:AfterSales:MaxAttachmentBytes"] = (2 * AfterSalesOptions.StoredAttachmentLimit).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var refused = Assert.ThrowsAny<Exception>(() => app.Server);

        Assert.Contains($"CardMall:AfterSales:MaxAttachmentBytes must be between 1 and {AfterSalesOptions.StoredAttachmentLimit}", refused.ToString(),
            StringComparison.Ordinal);
    }
}
