using System.Net;
using CardMall.Domain.Accounts;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;

namespace CardMall.IntegrationTests.Accounts;

/// <summary>
/// Floods and guessing at the door (issue 14, items 7 and 8): a stranger's wrong passwords lock only the
/// stranger's address out of that account; too many attempts or registrations get 429 with Retry-After;
/// and no answer tells whether an e-mail address has an account.
/// </summary>
public sealed class SignInAbuseTests(AccountSecurityFixture shop) : IClassFixture<AccountSecurityFixture>
{
    private ShopFactory App => shop.Factory;

    [Fact]
    public async Task A_stranger_guessing_an_admin_s_password_locks_out_only_the_stranger()
    {
        var admin = await TestAccounts.CreateAsync(App, ShopRoles.Admin);
        using var stranger = new WebSession(App).From("203.0.113.66");
        for (var i = 0; i < SignInFailures.Allowed; i++)
            await stranger.SignInAsync(admin.Email, "guess-" + i + "-1");

        var strangerWithTheRightPassword = await stranger.SignInAsync(admin.Email, admin.Password);
        Assert.Equal(HttpStatusCode.OK, strangerWithTheRightPassword.Status);
        Assert.Contains("账户已临时锁定", strangerWithTheRightPassword.PageErrors, StringComparison.Ordinal);

        using var owner = new WebSession(App).From("198.51.100.10");
        var ownerSignIn = await owner.SignInAsync(admin.Email, admin.Password);
        Assert.Equal(HttpStatusCode.Redirect, ownerSignIn.Status);
    }

    [Fact]
    public async Task Lockout_answers_the_same_for_an_address_with_no_account()
    {
        var buyer = await TestAccounts.CreateAsync(App);
        var ghost = $"ghost-{Guid.NewGuid():N}@example.test";
        using var web = new WebSession(App).From("203.0.113.67");

        var answersForReal = new List<string>();
        var answersForGhost = new List<string>();
        for (var i = 0; i <= SignInFailures.Allowed; i++)
        {
            var real = await web.SignInAsync(buyer.Email, "wrong-pass-" + i);
            var none = await web.SignInAsync(ghost, "wrong-pass-" + i);
            Assert.Equal(real.Status, none.Status);
            answersForReal.Add(real.PageErrors);
            answersForGhost.Add(none.PageErrors);
        }

        Assert.Equal(answersForReal, answersForGhost);
        Assert.Contains("账户已临时锁定", answersForGhost[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_in_attempts_beyond_the_limit_per_address_get_429_with_Retry_After()
    {
        await using var node = shop.WithSettings(new Dictionary<string, string?> { ["CardMall:SignIn:AttemptsPerAddressPerMinute"] = "3" });
        var buyer = await TestAccounts.CreateAsync(node);
        using var web = new WebSession(node).From("203.0.113.68");

        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await web.SignInAsync($"other-{i}@example.test", "whatever-1")).Status);
        var flooded = await SubmitSignInAsync(web, buyer.Email, buyer.Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, flooded.StatusCode);
        Assert.True(flooded.Headers.RetryAfter?.Delta?.TotalSeconds is > 0 and <= 60);
        Assert.Contains("尝试次数太多", await flooded.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Another address is not held back by this one.
        using var elsewhere = new WebSession(node).From("198.51.100.11");
        Assert.Equal(HttpStatusCode.Redirect, (await elsewhere.SignInAsync(buyer.Email, buyer.Password)).Status);
    }

    [Fact]
    public async Task Sign_in_attempts_on_one_account_from_many_addresses_get_429()
    {
        await using var node = shop.WithSettings(new Dictionary<string, string?> { ["CardMall:SignIn:AttemptsPerAccountPerMinute"] = "3" });
        var agent = await TestAccounts.CreateAsync(node, ShopRoles.Agent);

        for (var i = 0; i < 3; i++)
        {
            using var bot = new WebSession(node).From($"192.0.2.{i + 1}");
            Assert.Equal(HttpStatusCode.OK, (await bot.SignInAsync(agent.Email, "guess-" + i + "-x")).Status);
        }
        using var fourth = new WebSession(node).From("192.0.2.99");
        var flooded = await SubmitSignInAsync(fourth, agent.Email, "guess-4-x");

        Assert.Equal(HttpStatusCode.TooManyRequests, flooded.StatusCode);
        Assert.NotNull(flooded.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Registrations_beyond_the_limit_per_address_get_429_in_English()
    {
        await using var node = shop.WithSettings(new Dictionary<string, string?> { ["CardMall:SignIn:RegistrationsPerAddressPerHour"] = "2" });
        using var web = new WebSession(node, "en-US").From("203.0.113.69");

        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.Redirect, (await RegisterAsync(web, $"flood-{i}-{Guid.NewGuid():N}@example.test")).Status);
        var flooded = await RegisterAsync(web, $"flood-x-{Guid.NewGuid():N}@example.test");

        Assert.Equal(HttpStatusCode.TooManyRequests, flooded.Status);
        Assert.Contains("Too many registrations from this network", flooded.PageErrors, StringComparison.Ordinal);
    }

    private static Task<WebSession.Page> RegisterAsync(WebSession web, string email) =>
        web.SubmitAsync("/Account/Register", "form[data-testid=register-form]", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = "Secret123",
            ["Input.ConfirmPassword"] = "Secret123",
        });

    /// <summary>The sign-in form posted, keeping the raw response for its headers.</summary>
    private static async Task<HttpResponseMessage> SubmitSignInAsync(WebSession web, string email, string password)
    {
        var form = await web.GetAsync("/Account/Login");
        var token = form.Document.QuerySelector("form[data-testid=login-form] input[name=__RequestVerificationToken]")?.GetAttribute("value") ?? "";
        return await web.Client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
    }
}
