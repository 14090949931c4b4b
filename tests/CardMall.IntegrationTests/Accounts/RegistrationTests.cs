using System.Net;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using CardMall.Web.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace CardMall.IntegrationTests.Accounts;

/// <summary>
/// Registration confirms the address before the shop writes to it (issue 14, item 8): a new account gets only
/// the confirmation link until it is used; an address that already has an account gets the same answer and its
/// owner, not the visitor, is told. An unconfirmed account may sign in and buy.
/// </summary>
public sealed class RegistrationTests(AccountSecurityFixture shop) : IClassFixture<AccountSecurityFixture>
{
    private ShopFactory App => shop.Factory;

    [Fact]
    public async Task A_new_account_is_mailed_only_the_confirmation_link_until_it_is_confirmed()
    {
        var email = $"confirm-{Guid.NewGuid():N}@example.test";
        using var web = new WebSession(App);
        Assert.Equal(HttpStatusCode.Redirect, (await RegisterAsync(web, email)).Status);
        // An unconfirmed account signs in; a second device is told to its owner, in the shop but not by e-mail.
        Assert.Equal(HttpStatusCode.Redirect, (await web.SignInAsync(email, "Secret123")).Status);
        using var phone = new WebSession(App);
        Assert.Equal(HttpStatusCode.Redirect, (await phone.SignInAsync(email, "Secret123")).Status);
        Assert.False(await ScalarAsync<bool>("SELECT email_confirmed FROM users WHERE email = $1", email));

        await DispatchAsync();

        Assert.Single(MailsTo(email));
        Assert.Equal("ConfirmEmail", await ScalarAsync<string>("""
            SELECT n.kind FROM outgoing_emails e JOIN notifications n ON n.id = e.notification_id JOIN users u ON u.id = e.user_id
            WHERE u.email = $1 AND e.sent_at IS NOT NULL
            """, email));
        Assert.Equal(1L, await ScalarAsync<long>("""
            SELECT count(*) FROM outgoing_emails e JOIN users u ON u.id = e.user_id
            WHERE u.email = $1 AND e.gave_up_at IS NOT NULL AND e.last_error LIKE '%not confirmed%'
            """, email));
        // The link is e-mail only: the notification centre does not show it.
        var centre = await web.GetAsync("/Notifications");
        Assert.DoesNotContain("/Account/ConfirmEmail", centre.Html, StringComparison.Ordinal);

        var link = await ScalarAsync<string>(
            "SELECT n.link FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = $1 AND n.kind = 'ConfirmEmail'", email);
        using var anonymous = new WebSession(App);
        var confirmed = await anonymous.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, confirmed.Status);
        Assert.NotNull(confirmed.Document.QuerySelector("[data-testid=email-confirmed]"));
        Assert.True(await ScalarAsync<bool>("SELECT email_confirmed FROM users WHERE email = $1", email));
    }

    [Fact]
    public async Task Registering_an_address_that_has_an_account_answers_identically_and_mails_only_its_owner()
    {
        var owner = await TestAccounts.CreateAsync(App);
        var fresh = $"fresh-{Guid.NewGuid():N}@example.test";
        using var web = new WebSession(App);

        var forNew = await RegisterAsync(web, fresh);
        var forExisting = await RegisterAsync(web, owner.Email);

        Assert.Equal(forNew.Status, forExisting.Status);
        Assert.Equal(forNew.Location, forExisting.Location);
        // The same page (apart from the antiforgery tokens every page carries).
        Assert.Equal(CheckMail(await web.FollowAsync(forNew)), CheckMail(await web.FollowAsync(forExisting)));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM users WHERE email = $1", owner.Email));

        await DispatchAsync();
        Assert.Single(MailsTo(owner.Email));
        Assert.Equal("RegistrationAttempt", await ScalarAsync<string>("""
            SELECT n.kind FROM outgoing_emails e JOIN notifications n ON n.id = e.notification_id WHERE e.user_id = $1 AND e.sent_at IS NOT NULL
            """, owner.UserId));
    }

    [Fact]
    public async Task A_tampered_confirmation_link_confirms_nothing()
    {
        var email = $"tamper-{Guid.NewGuid():N}@example.test";
        using var web = new WebSession(App);
        await RegisterAsync(web, email);
        var userId = await ScalarAsync<Guid>("SELECT id FROM users WHERE email = $1", email);

        var page = await web.GetAsync($"/Account/ConfirmEmail?userId={userId}&code=bm90LWEtdG9rZW4");

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.NotNull(page.Document.QuerySelector("[data-testid=email-not-confirmed]"));
        Assert.False(await ScalarAsync<bool>("SELECT email_confirmed FROM users WHERE email = $1", email));
    }

    private static string CheckMail(WebSession.Page page) =>
        page.Document.QuerySelector("[data-testid=check-email]")?.OuterHtml ?? throw new InvalidOperationException("Not the check-your-mail page.");

    private static Task<WebSession.Page> RegisterAsync(WebSession web, string email) =>
        web.SubmitAsync("/Account/Register", "form[data-testid=register-form]", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = "Secret123",
            ["Input.ConfirmPassword"] = "Secret123",
        });

    private async Task DispatchAsync() =>
        Assert.NotNull(await App.Services.GetServices<IHostedService>().OfType<EmailDispatcher>().Single().RunOnceAsync(CancellationToken.None));

    private List<string> MailsTo(string email) =>
        !Directory.Exists(shop.PickupDirectory) ? []
        : Directory.GetFiles(shop.PickupDirectory, "*.eml").Select(File.ReadAllText)
            .Where(t => t.Contains("To: " + email, StringComparison.OrdinalIgnoreCase) || t.Contains("<" + email + ">", StringComparison.OrdinalIgnoreCase))
            .ToList();

    private Task<T> ScalarAsync<T>(string sql, object value) => shop.Database.Sql.ScalarAsync<T>(sql, value);
}
