using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CardMall.Domain.Accounts;
using CardMall.Domain.Wallets;
using CardMall.Infrastructure.Persistence;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CardMall.IntegrationTests.Staff;

/// <summary>
/// Issue 14, item 3: operators hold less. Each test performs the attack through the JSON API against
/// PostgreSQL and shows it refused: an Operator making an Admin, one person moving a large sum alone,
/// approving their own request, approving twice, a dismissed user's key or session still working.
/// </summary>
public sealed class StaffPowersTests(ShopFixture shop) : IClassFixture<ShopFixture>
{
    private ShopFactory App => shop.Factory;

    [Theory]
    [InlineData(ShopRoles.Supervisor)]
    [InlineData(ShopRoles.Operator)]
    [InlineData(ShopRoles.Admin)]
    public async Task An_operator_who_creates_a_staff_account_gets_403_and_no_account_exists(string role)
    {
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);
        var email = $"climb-{Guid.NewGuid():N}@example.test";

        var response = await App.ApiClient(op.ApiKey).PostAsJsonAsync("/api/v1/admin/users",
            new { email, password = "Passw0rd123", role, tier = "regular" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("forbidden", (await ApiProblem.ReadAsync(response)).GetProperty("code").GetString());
        Assert.False(await UserExistsAsync(email));
    }

    [Fact]
    public async Task An_admin_creates_an_operator_and_an_operator_still_creates_an_agent()
    {
        var admin = await TestAccounts.CreateAsync(App, ShopRoles.Admin);
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);

        var byAdmin = await App.ApiClient(admin.ApiKey).PostAsJsonAsync("/api/v1/admin/users",
            new { email = $"op-{Guid.NewGuid():N}@example.test", password = "Passw0rd123", role = "Operator", tier = "regular" });
        var byOperator = await App.ApiClient(op.ApiKey).PostAsJsonAsync("/api/v1/admin/users",
            new { email = $"agent-{Guid.NewGuid():N}@example.test", password = "Passw0rd123", role = "Agent", tier = "regular" });

        Assert.Equal(HttpStatusCode.Created, byAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Created, byOperator.StatusCode);
    }

    [Theory]
    [InlineData(1000.01)]
    [InlineData(1_000_000)]
    public async Task A_large_credit_without_a_second_person_answers_202_and_nothing_moves(decimal amount)
    {
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);
        var buyer = await TestAccounts.CreateAsync(App);

        var response = await AdjustAsync(op, buyer, amount);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("pending_approval", body.GetProperty("status").GetString());
        Assert.NotEqual(Guid.Empty, body.GetProperty("adjustmentId").GetGuid());
        Assert.Equal(0m, await BalanceAsync(buyer));
        Assert.Equal(0, await AdjustmentLinesAsync(buyer));
    }

    [Fact]
    public async Task A_large_debit_waits_too_while_the_four_eyes_amount_itself_is_applied_at_once()
    {
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);
        var buyer = await TestAccounts.CreateAsync(App);

        var atTheLimit = await AdjustAsync(op, buyer, 1000m);
        var debit = await AdjustAsync(op, buyer, -1000.01m);

        Assert.Equal(HttpStatusCode.OK, atTheLimit.StatusCode);
        Assert.Equal(1000m, (await atTheLimit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("balance").GetDecimal());
        Assert.Equal(HttpStatusCode.Accepted, debit.StatusCode);
        Assert.Equal(1000m, await BalanceAsync(buyer));
    }

    [Fact]
    public async Task The_requester_who_approves_their_own_adjustment_gets_403_and_nothing_moves()
    {
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);
        var buyer = await TestAccounts.CreateAsync(App);
        var adjustmentId = await RequestLargeAsync(op, buyer, 5000m);

        var response = await App.ApiClient(op.ApiKey).PostAsync($"/api/v1/admin/wallet-adjustments/{adjustmentId}/approve", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("forbidden", (await ApiProblem.ReadAsync(response)).GetProperty("code").GetString());
        Assert.Equal(0m, await BalanceAsync(buyer));
    }

    [Fact]
    public async Task A_second_operator_approves_and_the_balance_moves_once_a_second_approval_is_refused()
    {
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);
        var second = await TestAccounts.CreateAsync(App, ShopRoles.Operator);
        var admin = await TestAccounts.CreateAsync(App, ShopRoles.Admin);
        var buyer = await TestAccounts.CreateAsync(App);
        var adjustmentId = await RequestLargeAsync(op, buyer, 2500m);

        var approved = await App.ApiClient(second.ApiKey).PostAsync($"/api/v1/admin/wallet-adjustments/{adjustmentId}/approve", null);
        var again = await App.ApiClient(admin.ApiKey).PostAsync($"/api/v1/admin/wallet-adjustments/{adjustmentId}/approve", null);

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(2500m, (await approved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("balance").GetDecimal());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("invalid_state", (await ApiProblem.ReadAsync(again)).GetProperty("code").GetString());
        Assert.Equal(2500m, await BalanceAsync(buyer));
        Assert.Equal(1, await AdjustmentLinesAsync(buyer));
    }

    [Fact]
    public async Task Approvals_racing_each_other_move_the_money_exactly_once()
    {
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);
        var approvers = new List<TestAccount>();
        for (var i = 0; i < 4; i++) approvers.Add(await TestAccounts.CreateAsync(App, i % 2 == 0 ? ShopRoles.Operator : ShopRoles.Admin));
        var buyer = await TestAccounts.CreateAsync(App);
        var adjustmentId = await RequestLargeAsync(op, buyer, 8000m);

        var answers = await Task.WhenAll(approvers.Select(a =>
            App.ApiClient(a.ApiKey).PostAsync($"/api/v1/admin/wallet-adjustments/{adjustmentId}/approve", null)));

        Assert.Equal(1, answers.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(answers.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(8000m, await BalanceAsync(buyer));
        Assert.Equal(1, await AdjustmentLinesAsync(buyer));
    }

    [Fact]
    public async Task A_retried_large_request_with_the_same_idempotency_key_waits_once()
    {
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);
        var buyer = await TestAccounts.CreateAsync(App);
        var key = Guid.NewGuid().ToString("N");

        var first = await AdjustAsync(op, buyer, 3000m, key);
        var retry = await AdjustAsync(op, buyer, 3000m, key);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Equal((await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("adjustmentId").GetGuid(),
            (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("adjustmentId").GetGuid());
        using var scope = App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
        Assert.Equal(1, await db.WalletAdjustments.CountAsync(a => a.UserId == buyer.UserId));
    }

    [Fact]
    public async Task A_disabled_users_api_key_gets_401_their_session_ends_and_they_cannot_sign_in_until_enabled()
    {
        var admin = await TestAccounts.CreateAsync(App, ShopRoles.Admin);
        var user = await TestAccounts.CreateAsync(App, ShopRoles.Reseller, MemberTier.Reseller);
        using var web = new WebSession(App);
        Assert.Equal(HttpStatusCode.Redirect, (await web.SignInAsync(user.Email, user.Password)).Status);
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync("/Account/Manage")).Status);
        Assert.Equal(HttpStatusCode.OK, (await App.ApiClient(user.ApiKey).GetAsync("/api/v1/me")).StatusCode);

        var disabled = await App.ApiClient(admin.ApiKey).PostAsync($"/api/v1/admin/users/{user.UserId}/disable", null);

        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.ApiClient(user.ApiKey).GetAsync("/api/v1/me")).StatusCode);
        var session = await web.GetAsync("/Account/Manage");
        Assert.Equal(HttpStatusCode.Redirect, session.Status);
        Assert.StartsWith("/Account/Login", new Uri(new Uri("http://localhost"), session.Location).PathAndQuery, StringComparison.Ordinal);
        using var again = new WebSession(App);
        var refused = await again.SignInAsync(user.Email, user.Password);
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.NotEmpty(refused.PageErrors);

        var enabled = await App.ApiClient(admin.ApiKey).PostAsync($"/api/v1/admin/users/{user.UserId}/enable", null);

        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await App.ApiClient(user.ApiKey).GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await again.SignInAsync(user.Email, user.Password)).Status);
    }

    [Fact]
    public async Task Only_an_admin_disables_an_operator_gets_403_and_the_user_keeps_working()
    {
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);
        var buyer = await TestAccounts.CreateAsync(App);

        var response = await App.ApiClient(op.ApiKey).PostAsync($"/api/v1/admin/users/{buyer.UserId}/disable", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("forbidden", (await ApiProblem.ReadAsync(response)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await App.ApiClient(buyer.ApiKey).GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task An_admin_revokes_someones_api_keys_and_they_answer_401_for_good()
    {
        var admin = await TestAccounts.CreateAsync(App, ShopRoles.Admin);
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);
        var reseller = await TestAccounts.CreateAsync(App, ShopRoles.Reseller, MemberTier.Reseller);

        var byOperator = await App.ApiClient(op.ApiKey).DeleteAsync($"/api/v1/admin/users/{reseller.UserId}/api-keys");
        Assert.Equal(HttpStatusCode.Forbidden, byOperator.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await App.ApiClient(reseller.ApiKey).GetAsync("/api/v1/me")).StatusCode);

        var revoked = await App.ApiClient(admin.ApiKey).DeleteAsync($"/api/v1/admin/users/{reseller.UserId}/api-keys");

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(1, (await revoked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revoked").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.ApiClient(reseller.ApiKey).GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task An_admin_cannot_disable_their_own_account()
    {
        var admin = await TestAccounts.CreateAsync(App, ShopRoles.Admin);

        var response = await App.ApiClient(admin.ApiKey).PostAsync($"/api/v1/admin/users/{admin.UserId}/disable", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await App.ApiClient(admin.ApiKey).GetAsync("/api/v1/me")).StatusCode);
    }

    private Task<HttpResponseMessage> AdjustAsync(TestAccount op, TestAccount buyer, decimal amount, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/admin/users/{buyer.UserId}/wallet/adjustments")
        {
            Content = JsonContent.Create(new { amount, reason = "goodwill" }),
        };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return App.ApiClient(op.ApiKey).SendAsync(request);
    }

    private async Task<Guid> RequestLargeAsync(TestAccount op, TestAccount buyer, decimal amount)
    {
        var response = await AdjustAsync(op, buyer, amount);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("adjustmentId").GetGuid();
    }

    private async Task<decimal> BalanceAsync(TestAccount buyer) =>
        (await App.ApiClient(buyer.ApiKey).GetFromJsonAsync<JsonElement>("/api/v1/wallet")).GetProperty("balance").GetDecimal();

    private async Task<int> AdjustmentLinesAsync(TestAccount buyer)
    {
        using var scope = App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
        return await db.LedgerEntries.CountAsync(e => e.UserId == buyer.UserId && e.Kind == LedgerKind.Adjustment);
    }

    private async Task<bool> UserExistsAsync(string email)
    {
        using var scope = App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
        return await db.Users.AnyAsync(u => u.NormalizedEmail == email.ToUpperInvariant());
    }
}
