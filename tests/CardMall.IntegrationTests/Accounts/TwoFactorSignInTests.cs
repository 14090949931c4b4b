using System.Net;
using System.Net.Http.Json;
using CardMall.Domain.Accounts;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using OtpNet;

namespace CardMall.IntegrationTests.Accounts;

/// <summary>
/// Staff sign in with two factors (issue 14, item 4): a member of staff with a password only is sent to enrol
/// before any staff page, enrols with the key shown on the page, gets recovery codes once, and from then on
/// signs in with a code or a recovery code (each once). API keys keep working; buyers are not asked.
/// </summary>
public sealed class TwoFactorSignInTests(AccountSecurityFixture shop) : IClassFixture<AccountSecurityFixture>
{
    private ShopFactory App => shop.Factory;

    [Fact]
    public async Task A_member_of_staff_without_two_factor_is_sent_to_enrol_and_gets_in_after_enrolling()
    {
        var agent = await TestAccounts.CreateAsync(App, ShopRoles.Agent);
        using var web = new WebSession(App);
        await web.SignInAsync(agent.Email, agent.Password);

        var refused = await web.GetAsync("/Admin");
        Assert.Equal(HttpStatusCode.Redirect, refused.Status);
        Assert.StartsWith("/Account/Manage/TwoFactor?required=true", refused.Location, StringComparison.Ordinal);
        var enrolPage = await web.FollowAsync(refused);
        Assert.NotNull(enrolPage.Document.QuerySelector("[data-testid=two-factor-required]"));
        Assert.StartsWith("data:image/png;base64,", enrolPage.Document.QuerySelector("[data-testid=two-factor-qr]")?.GetAttribute("src"), StringComparison.Ordinal);

        var codes = await EnrolAsync(web, enrolPage.Location ?? refused.Location!);

        Assert.Equal(10, codes.Count);
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync("/Admin")).Status);
    }

    [Fact]
    public async Task After_enrolling_signing_in_asks_for_a_code_and_a_wrong_one_is_refused()
    {
        var supervisor = await TestAccounts.CreateAsync(App, ShopRoles.Supervisor);
        using (var first = new WebSession(App))
        {
            await first.SignInAsync(supervisor.Email, supervisor.Password);
            await EnrolAsync(first, "/Account/Manage/TwoFactor");
        }
        var key = await AuthenticatorKeyAsync(supervisor.UserId);

        using var web = new WebSession(App);
        var password = await web.SignInAsync(supervisor.Email, supervisor.Password);
        Assert.Equal(HttpStatusCode.Redirect, password.Status);
        Assert.StartsWith("/Account/SignInCode", password.Location, StringComparison.Ordinal);
        // The right password alone is not a session.
        Assert.Equal(HttpStatusCode.Redirect, (await web.GetAsync("/Account/Manage")).Status);

        var wrong = await SubmitCodeAsync(web, password.Location!, "000000" == CodeFor(key) ? "111111" : "000000");
        Assert.Equal(HttpStatusCode.OK, wrong.Status);
        Assert.Contains("验证码不正确或已过期", wrong.PageErrors, StringComparison.Ordinal);

        var right = await SubmitCodeAsync(web, password.Location!, CodeFor(key));
        Assert.Equal(HttpStatusCode.Redirect, right.Status);
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync("/Admin")).Status);
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once_and_never_again()
    {
        var admin = await TestAccounts.CreateAsync(App, ShopRoles.Admin);
        IReadOnlyList<string> codes;
        using (var first = new WebSession(App))
        {
            await first.SignInAsync(admin.Email, admin.Password);
            codes = await EnrolAsync(first, "/Account/Manage/TwoFactor");
        }

        using var web = new WebSession(App);
        var step = await web.SignInAsync(admin.Email, admin.Password);
        Assert.Equal(HttpStatusCode.Redirect, await StatusAfterCodeAsync(web, step.Location!, codes[0]));
        var manage = await web.GetAsync("/Account/Manage/TwoFactor");
        Assert.Contains("9", manage.Document.QuerySelector("[data-testid=recovery-codes-left]")?.TextContent ?? "", StringComparison.Ordinal);

        using var again = new WebSession(App);
        var second = await again.SignInAsync(admin.Email, admin.Password);
        Assert.Equal(HttpStatusCode.OK, await StatusAfterCodeAsync(again, second.Location!, codes[0]));
        Assert.Equal(HttpStatusCode.Redirect, await StatusAfterCodeAsync(again, second.Location!, codes[1]));
    }

    [Fact]
    public async Task Staff_api_keys_keep_working_while_two_factor_is_required()
    {
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);

        var created = await App.ApiClient(op.ApiKey).PostAsJsonAsync("/api/v1/admin/suppliers",
            new { code = "SUP-" + Guid.NewGuid().ToString("N")[..8], name = "二步验证供应商", webhookSecret = "test-webhook-secret-123456" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Fact]
    public async Task A_buyer_is_not_asked_for_a_second_factor()
    {
        var buyer = await TestAccounts.CreateAsync(App);
        using var web = new WebSession(App);

        var signedIn = await web.SignInAsync(buyer.Email, buyer.Password);

        Assert.Equal("/", signedIn.Location);
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync("/Orders")).Status);
    }

    [Fact]
    public async Task Resetting_two_factor_sends_the_member_of_staff_back_to_enrol()
    {
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);
        using var web = new WebSession(App);
        await web.SignInAsync(op.Email, op.Password);
        await EnrolAsync(web, "/Account/Manage/TwoFactor");
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync("/Admin")).Status);

        var reset = await web.SubmitAsync("/Account/Manage/TwoFactor", "form[data-testid=reset-two-factor-form]", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, reset.Status);

        var refused = await web.GetAsync("/Admin");
        Assert.StartsWith("/Account/Manage/TwoFactor?required=true", refused.Location, StringComparison.Ordinal);
    }

    /// <summary>Reads the manual key from the page, computes the code as an authenticator app would, and turns two-factor on.</summary>
    private static async Task<IReadOnlyList<string>> EnrolAsync(WebSession web, string url)
    {
        var page = await web.GetAsync(url);
        var key = page.Document.QuerySelector("[data-testid=two-factor-key]")?.TextContent ?? throw new InvalidOperationException("No key on " + url);
        var done = await web.SubmitAsync(url, "form[data-testid=enable-two-factor-form]",
            new Dictionary<string, string> { ["Code"] = CodeFor(key) });
        Assert.Equal(HttpStatusCode.OK, done.Status);
        return done.Document.QuerySelectorAll("[data-testid=recovery-code]").Select(e => e.TextContent.Trim()).ToList();
    }

    private async Task<string> AuthenticatorKeyAsync(Guid userId)
    {
        await using var conn = new Npgsql.NpgsqlConnection(shop.Database.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(
            "SELECT value FROM user_tokens WHERE user_id = $1 AND name = 'AuthenticatorKey'", conn) { Parameters = { new() { Value = userId } } };
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    private static string CodeFor(string key) =>
        new Totp(Base32Encoding.ToBytes(key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant())).ComputeTotp();

    private static Task<WebSession.Page> SubmitCodeAsync(WebSession web, string url, string code) =>
        web.SubmitAsync(url, "form[data-testid=sign-in-code-form]", new Dictionary<string, string> { ["Code"] = code });

    private static async Task<HttpStatusCode> StatusAfterCodeAsync(WebSession web, string url, string code) =>
        (await SubmitCodeAsync(web, url, code)).Status;
}
