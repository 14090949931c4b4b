using System.Net;
using CardMall.Domain.Accounts;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;

namespace CardMall.IntegrationTests;

/// <summary>Register, sign in, sign out, lockout, password change and the staff area, through the real pages.</summary>
public sealed class AccountPagesTests(ShopFixture shop) : IClassFixture<ShopFixture>
{
    private ShopFactory App => shop.Factory;

    [Fact]
    public async Task A_visitor_registers_is_asked_to_check_the_mail_signs_in_signs_out_and_signs_in_again()
    {
        using var web = new WebSession(App);
        var email = $"new-{Guid.NewGuid():N}@example.test";

        var registered = await web.SubmitAsync("/Account/Register", "form[data-testid=register-form]", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.DisplayName"] = "小刚",
            ["Input.Password"] = "Secret123",
            ["Input.ConfirmPassword"] = "Secret123",
        });
        var checkMail = await web.FollowAsync(registered);
        Assert.NotNull(checkMail.Document.QuerySelector("[data-testid=check-email]"));
        // Not signed in by registering: that would tell a stranger the address was new.
        Assert.Null(checkMail.Document.QuerySelector("[data-testid=account-menu]"));

        var home = await web.FollowAsync(await web.SignInAsync(email, "Secret123"));
        Assert.Contains(email, home.Document.QuerySelector("[data-testid=account-menu]")?.TextContent ?? "", StringComparison.Ordinal);

        var signedOut = await web.FollowAsync(await web.SubmitAsync("/", "form[action='/Account/Logout']", new Dictionary<string, string>()));
        Assert.Null(signedOut.Document.QuerySelector("[data-testid=account-menu]"));
        Assert.NotNull(signedOut.Document.QuerySelector("[data-testid=sign-in-link]"));

        var signedIn = await web.FollowAsync(await web.SignInAsync(email, "Secret123"));
        Assert.Contains(email, signedIn.Document.QuerySelector("[data-testid=account-menu]")?.TextContent ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registration_errors_are_shown_on_the_form_and_create_no_account()
    {
        using var web = new WebSession(App);

        var page = await web.SubmitAsync("/Account/Register", "form[data-testid=register-form]", new Dictionary<string, string>
        {
            ["Input.Email"] = "not-an-email",
            ["Input.Password"] = "short",
            ["Input.ConfirmPassword"] = "different",
        });

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("邮箱格式不正确。", page.FieldErrors("Input.Email"));
        Assert.Contains("密码至少需要 8 位。", page.FieldErrors("Input.Password"));
        Assert.Contains("两次输入的密码不一致。", page.FieldErrors("Input.ConfirmPassword"));
        // What the visitor typed is still there (except passwords).
        Assert.Equal("not-an-email", page.Document.QuerySelector("#Input_Email")?.GetAttribute("value"));
        Assert.Null(page.Document.QuerySelector("[data-testid=account-menu]"));
    }

    [Fact]
    public async Task Registering_an_email_that_has_an_account_answers_like_a_new_one_in_English()
    {
        var existing = await TestAccounts.CreateAsync(App);
        using var web = new WebSession(App, "en-US");

        var page = await web.SubmitAsync("/Account/Register", "form[data-testid=register-form]", new Dictionary<string, string>
        {
            ["Input.Email"] = existing.Email,
            ["Input.Password"] = "Another123",
            ["Input.ConfirmPassword"] = "Another123",
        });

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        var checkMail = await web.FollowAsync(page);
        Assert.Contains("Check your mail", checkMail.Document.QuerySelector("h1")?.TextContent ?? "", StringComparison.Ordinal);
        // The owner's password still works; the visitor's does not.
        using var owner = new WebSession(App);
        Assert.Equal(HttpStatusCode.Redirect, (await owner.SignInAsync(existing.Email, existing.Password)).Status);
        Assert.Equal(HttpStatusCode.OK, (await web.SignInAsync(existing.Email, "Another123")).Status);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        var buyer = await TestAccounts.CreateAsync(App);
        using var web = new WebSession(App);

        for (var i = 0; i < 5; i++)
        {
            var wrong = await web.SignInAsync(buyer.Email, "wrong-password-1");
            Assert.Equal(HttpStatusCode.OK, wrong.Status);
        }
        var locked = await web.SignInAsync(buyer.Email, buyer.Password);

        Assert.Equal(HttpStatusCode.OK, locked.Status);
        Assert.Contains("账户已临时锁定", locked.PageErrors, StringComparison.Ordinal);
        Assert.Null(locked.Document.QuerySelector("[data-testid=account-menu]"));
    }

    [Fact]
    public async Task A_wrong_password_says_so_without_revealing_whether_the_email_exists()
    {
        var buyer = await TestAccounts.CreateAsync(App);
        using var web = new WebSession(App);

        var wrongPassword = await web.SignInAsync(buyer.Email, "nope-nope-1");
        var unknownEmail = await web.SignInAsync($"ghost-{Guid.NewGuid():N}@example.test", "nope-nope-1");

        Assert.Contains("邮箱或密码不正确。", wrongPassword.PageErrors, StringComparison.Ordinal);
        Assert.Equal(wrongPassword.PageErrors, unknownEmail.PageErrors);
    }

    [Fact]
    public async Task A_buyer_changes_the_password_and_the_old_one_stops_working()
    {
        var buyer = await TestAccounts.CreateAsync(App);
        using var web = new WebSession(App);
        await web.SignInAsync(buyer.Email, buyer.Password);

        var wrongCurrent = await web.SubmitAsync("/Account/Manage", "form[data-testid=change-password-form]", new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = "not-it-123",
            ["Input.NewPassword"] = "BrandNew123",
            ["Input.ConfirmPassword"] = "BrandNew123",
        });
        Assert.Contains("当前密码不正确。", wrongCurrent.FieldErrors("Input.CurrentPassword"));
        Assert.Contains(buyer.Email, wrongCurrent.Document.QuerySelector("[data-testid=profile-email]")?.TextContent ?? "", StringComparison.Ordinal);

        var changed = await web.FollowAsync(await web.SubmitAsync("/Account/Manage", "form[data-testid=change-password-form]", new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = buyer.Password,
            ["Input.NewPassword"] = "BrandNew123",
            ["Input.ConfirmPassword"] = "BrandNew123",
        }));
        Assert.NotNull(changed.Document.QuerySelector("[data-testid=password-changed]"));

        using var other = new WebSession(App);
        Assert.Equal(HttpStatusCode.OK, (await other.SignInAsync(buyer.Email, buyer.Password)).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await other.SignInAsync(buyer.Email, "BrandNew123")).Status);
    }

    [Fact]
    public async Task A_buyer_is_refused_from_the_staff_area_and_staff_get_in()
    {
        var buyer = await TestAccounts.CreateAsync(App);
        var agent = await TestAccounts.CreateAsync(App, ShopRoles.Agent);

        using var buyerWeb = new WebSession(App);
        await buyerWeb.SignInAsync(buyer.Email, buyer.Password);
        var refused = await buyerWeb.GetAsync("/Admin");
        Assert.Equal(HttpStatusCode.Redirect, refused.Status);
        Assert.StartsWith("http://localhost/Account/AccessDenied", refused.Location, StringComparison.Ordinal);
        var denied = await buyerWeb.FollowAsync(refused);
        Assert.Equal(HttpStatusCode.Forbidden, denied.Status);
        Assert.Contains("无权访问", denied.Html, StringComparison.Ordinal);

        using var anonymous = new WebSession(App);
        var toLogin = await anonymous.GetAsync("/Admin");
        Assert.StartsWith("http://localhost/Account/Login", toLogin.Location, StringComparison.Ordinal);

        using var agentWeb = new WebSession(App);
        await agentWeb.SignInAsync(agent.Email, agent.Password);
        var staff = await agentWeb.GetAsync("/Admin");
        Assert.Equal(HttpStatusCode.OK, staff.Status);
        Assert.Contains(agent.Email, staff.Document.QuerySelector("[data-testid=admin-heading]")?.TextContent ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sign_in_cookie_still_works_after_the_app_restarts_because_keys_live_in_the_database()
    {
        var buyer = await TestAccounts.CreateAsync(App);
        using var web = new WebSession(App);
        await web.SignInAsync(buyer.Email, buyer.Password);
        var cookie = string.Join("; ", (await web.Client.GetAsync("/Account/Manage")).RequestMessage!.Headers.GetValues("Cookie"));

        // A second node (a new process's worth of services and key ring) on the same database.
        await using var otherNode = new ShopFactory(shop.Database.ConnectionString);
        var client = otherNode.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Account/Manage");
        request.Headers.Add("Cookie", cookie);
        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(buyer.Email, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
