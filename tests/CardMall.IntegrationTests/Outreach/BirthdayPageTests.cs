using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;

namespace CardMall.IntegrationTests.Outreach;

/// <summary>The birthday on the account page (/Account/Manage): given, refused when it is no day, removed; in both languages.</summary>
public sealed class BirthdayPageTests(ShopFixture shop) : IClassFixture<ShopFixture>
{
    private const string Form = "form[data-testid=birthday-form]";

    [Fact]
    public async Task A_buyer_gives_a_birthday_is_told_when_the_day_does_not_exist_and_can_remove_it()
    {
        var buyer = await TestAccounts.CreateAsync(shop.Factory);
        using var web = new WebSession(shop.Factory);
        await web.SignInAsync(buyer.Email, buyer.Password);

        var noSuchDay = await web.SubmitAsync("/Account/Manage", Form, Fields("2", "30"));
        Assert.Contains("这一天不存在，请重新选择。", noSuchDay.FieldErrors("Birthday.Day"));
        var half = await web.SubmitAsync("/Account/Manage", Form, Fields("5", ""));
        Assert.Contains("请同时选择月和日，或者都不选。", half.FieldErrors("Birthday.Day"));
        // The other form on the page is left alone: no password errors.
        Assert.Empty(half.FieldErrors("Input.CurrentPassword"));

        var saved = await web.FollowAsync(await web.SubmitAsync("/Account/Manage", Form, Fields("2", "29")));
        Assert.NotNull(saved.Document.QuerySelector("[data-testid=birthday-changed]"));
        Assert.Equal("2", Selected(saved, "birthday-month"));
        Assert.Equal("29", Selected(saved, "birthday-day"));
        Assert.Equal(2, await shop.Database.Sql.ScalarAsync<int>("SELECT birth_month FROM users WHERE id = $1", buyer.UserId));

        // A refused password change shows the page again with the birthday still as stored.
        var wrongPassword = await web.SubmitAsync("/Account/Manage", "form[data-testid=change-password-form]", new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = "not-it-123",
            ["Input.NewPassword"] = "BrandNew123",
            ["Input.ConfirmPassword"] = "BrandNew123",
        });
        Assert.NotEmpty(wrongPassword.FieldErrors("Input.CurrentPassword"));
        Assert.Equal("29", Selected(wrongPassword, "birthday-day"));

        var cleared = await web.FollowAsync(await web.SubmitAsync("/Account/Manage", Form, Fields("", "")));
        Assert.Equal("", Selected(cleared, "birthday-month"));
        Assert.Equal(0, await shop.Database.Sql.CountAsync("SELECT count(*) FROM users WHERE id = $1 AND birth_month IS NOT NULL", buyer.UserId));
    }

    [Fact]
    public async Task The_birthday_form_speaks_english_too()
    {
        var buyer = await TestAccounts.CreateAsync(shop.Factory);
        using var web = new WebSession(shop.Factory, "en-US");
        await web.SignInAsync(buyer.Email, buyer.Password);

        var page = await web.GetAsync("/Account/Manage");
        Assert.Contains("we never ask for the year", page.Html, StringComparison.Ordinal);
        Assert.Contains("February", page.Document.QuerySelector("[data-testid=birthday-month]")!.TextContent, StringComparison.Ordinal);
        var refused = await web.SubmitAsync("/Account/Manage", Form, Fields("4", "31"));
        Assert.Contains("That day does not exist; please choose another.", refused.FieldErrors("Birthday.Day"));
    }

    private static Dictionary<string, string> Fields(string month, string day) => new() { ["Birthday.Month"] = month, ["Birthday.Day"] = day };

    private static string Selected(WebSession.Page page, string testId) =>
        page.Document.QuerySelector($"[data-testid={testId}] option[selected]")?.GetAttribute("value") ?? "";
}
