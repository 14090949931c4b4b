using System.Net;
using CardMall.Application.Accounts;
using CardMall.Domain.Accounts;
using CardMall.Domain.Audit;
using CardMall.Infrastructure.Persistence;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CardMall.IntegrationTests.Staff;

/// <summary>The Admin's users page and the four-eyes rule on the wallet page, driven as a browser would (forms, cookies).</summary>
public sealed class StaffPagesTests(ShopFixture shop) : IClassFixture<ShopFixture>
{
    private ShopFactory App => shop.Factory;

    [Fact]
    public async Task An_admin_finds_a_user_by_email_changes_the_role_and_the_change_is_audited()
    {
        var admin = await TestAccounts.CreateAsync(App, ShopRoles.Admin);
        var buyer = await TestAccounts.CreateAsync(App);
        using var web = await SignedInAsync(admin, "en-US");

        var found = await web.GetAsync($"/Admin/Users?email={Uri.EscapeDataString(buyer.Email[..12])}");
        var card = Assert.Single(found.Document.QuerySelectorAll($"[data-user='{buyer.UserId}']"));
        Assert.Equal("Buyer", card.QuerySelector("[data-testid=user-role]")?.TextContent.Trim());

        var changed = await web.SubmitAsync($"/Admin/Users?email={Uri.EscapeDataString(buyer.Email)}", $"[data-user='{buyer.UserId}'] form[data-testid=role-form]",
            new Dictionary<string, string> { ["userId"] = buyer.UserId.ToString(), ["role"] = ShopRoles.Agent });
        var after = await web.FollowAsync(changed);

        Assert.Contains(buyer.Email, after.Document.QuerySelector("[data-testid=user-changed]")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("Agent", after.Document.QuerySelector($"[data-user='{buyer.UserId}'] [data-testid=user-role]")?.TextContent.Trim());
        Assert.Equal([ShopRoles.Agent], await RolesAsync(buyer.UserId));
        Assert.True(await AuditedAsync(AuditActions.UserRoleChanged, admin.UserId, buyer.UserId));
    }

    [Fact]
    public async Task An_admin_disables_resets_two_factor_and_revokes_keys_from_the_page()
    {
        var admin = await TestAccounts.CreateAsync(App, ShopRoles.Admin);
        var agent = await TestAccounts.CreateAsync(App, ShopRoles.Agent);
        using (var scope = App.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ShopUser>>();
            var user = await users.FindByIdAsync(agent.UserId.ToString());
            await users.ResetAuthenticatorKeyAsync(user!);
            await users.SetTwoFactorEnabledAsync(user!, true);
        }
        using var web = await SignedInAsync(admin, "zh-CN");
        var url = $"/Admin/Users?email={Uri.EscapeDataString(agent.Email)}";
        var form = $"[data-user='{agent.UserId}'] form";
        var fields = new Dictionary<string, string> { ["userId"] = agent.UserId.ToString() };

        await web.FollowAsync(await web.SubmitAsync(url, form + "[data-testid=reset-2fa-form]", fields));
        await web.FollowAsync(await web.SubmitAsync(url, form + "[data-testid=revoke-keys-form]", fields));
        var disabled = await web.FollowAsync(await web.SubmitAsync(url, form + "[data-testid=disable-form]", fields));

        Assert.NotNull(disabled.Document.QuerySelector($"[data-user='{agent.UserId}'] [data-testid=user-disabled]"));
        Assert.NotNull(disabled.Document.QuerySelector($"[data-user='{agent.UserId}'] form[data-testid=enable-form]"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.ApiClient(agent.ApiKey).GetAsync("/api/v1/me")).StatusCode);
        using var check = App.Services.CreateScope();
        var db = check.ServiceProvider.GetRequiredService<CardMallDbContext>();
        var stored = await db.Users.AsNoTracking().SingleAsync(u => u.Id == agent.UserId);
        Assert.False(stored.TwoFactorEnabled);
        Assert.NotNull(stored.DisabledAt);
        Assert.False(await db.ApiKeys.AnyAsync(k => k.UserId == agent.UserId && k.RevokedAt == null));
        foreach (var action in new[] { AuditActions.UserTwoFactorReset, AuditActions.UserApiKeysRevoked, AuditActions.UserDisabled })
            Assert.True(await AuditedAsync(action, admin.UserId, agent.UserId), action);
    }

    [Fact]
    public async Task The_users_page_refuses_an_admin_acting_on_themselves_and_is_closed_to_operators()
    {
        var admin = await TestAccounts.CreateAsync(App, ShopRoles.Admin);
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);
        using var web = await SignedInAsync(admin, "en-US");

        var refused = await web.SubmitAsync($"/Admin/Users?email={Uri.EscapeDataString(admin.Email)}", $"[data-user='{admin.UserId}'] form[data-testid=role-form]",
            new Dictionary<string, string> { ["userId"] = admin.UserId.ToString(), ["role"] = ShopRoles.Buyer });

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains("your own account", refused.PageErrors, StringComparison.Ordinal);
        Assert.Equal([ShopRoles.Admin], await RolesAsync(admin.UserId));

        using var asOperator = await SignedInAsync(op, "en-US");
        var page = await asOperator.GetAsync("/Admin/Users");
        Assert.True(page.Status is HttpStatusCode.Redirect or HttpStatusCode.Forbidden, $"an operator got {(int)page.Status}");
        Assert.Null((await asOperator.GetAsync("/Admin/Wallets")).Document.QuerySelector("[data-testid=nav-users]"));
    }

    [Fact]
    public async Task On_the_wallet_page_a_large_adjustment_waits_and_a_second_operator_approves_it()
    {
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);
        var second = await TestAccounts.CreateAsync(App, ShopRoles.Operator);
        var buyer = await TestAccounts.CreateAsync(App);
        using var web = await SignedInAsync(op, "en-US");
        var url = $"/Admin/Wallets?email={Uri.EscapeDataString(buyer.Email)}";

        var posted = await web.SubmitAsync(url, "form[data-testid=wallet-adjust-form]",
            new Dictionary<string, string> { ["Input.Amount"] = "1500.00", ["Input.Reason"] = "bulk order compensation" });
        var waiting = await web.FollowAsync(posted);

        Assert.NotNull(waiting.Document.QuerySelector("[data-testid=wallet-awaiting-approval]"));
        Assert.Equal("¥0.00", waiting.Document.QuerySelector("[data-testid=wallet-balance]")?.TextContent.Trim());
        var mine = Assert.Single(waiting.Document.QuerySelectorAll("[data-testid=pending-adjustments] tr[data-adjustment]"));
        Assert.NotNull(mine.QuerySelector("[data-testid=own-adjustment]"));
        Assert.Null(mine.QuerySelector("form[data-testid=approve-adjustment]"));

        using var other = await SignedInAsync(second, "en-US");
        var approved = await other.FollowAsync(await other.SubmitAsync(url, "form[data-testid=approve-adjustment]", new Dictionary<string, string>()));

        Assert.NotNull(approved.Document.QuerySelector("[data-testid=adjustment-decided]"));
        Assert.Equal("¥1,500.00", approved.Document.QuerySelector("[data-testid=wallet-balance]")?.TextContent.Trim());
        Assert.Null(approved.Document.QuerySelector("[data-testid=pending-adjustments]"));
    }

    private async Task<WebSession> SignedInAsync(TestAccount account, string language)
    {
        var web = new WebSession(App, language);
        Assert.Equal(HttpStatusCode.Redirect, (await web.SignInAsync(account.Email, account.Password)).Status);
        return web;
    }

    private async Task<List<string>> RolesAsync(Guid userId)
    {
        using var scope = App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
        return await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == userId select r.Name!).ToListAsync();
    }

    private async Task<bool> AuditedAsync(string action, Guid actor, Guid subject)
    {
        using var scope = App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
        return await db.AuditRecords.AnyAsync(r => r.Action == action && r.ActorId == actor && r.Subject == subject.ToString());
    }
}
