using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CardMall.Application.Accounts;
using CardMall.Domain.Accounts;
using CardMall.Domain.Audit;
using CardMall.Domain.Common;
using CardMall.Infrastructure.Persistence;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.VisualBasic.FileIO;
using Npgsql;

namespace CardMall.IntegrationTests.Staff;

/// <summary>
/// Issue 14, item 5: every staff action is on the record — who, when, what, from where — the record cannot be
/// changed or removed, the Admin searches it and exports it as CSV that no spreadsheet runs as a formula.
/// </summary>
public sealed class AuditLogTests(AuditLogTests.ClientAddressFixture shop) : IClassFixture<AuditLogTests.ClientAddressFixture>
{
    /// <summary>Requests arrive from this address, as a client behind no proxy would.</summary>
    public const string ClientIp = "203.0.113.7";

    private ShopFactory App => shop.Factory;

    [Fact]
    public async Task Every_staff_action_through_the_api_leaves_a_record_with_who_what_and_from_where()
    {
        var admin = await TestAccounts.CreateAsync(App, ShopRoles.Admin);
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);
        var buyer = await TestAccounts.CreateAsync(App);
        var api = App.ApiClient(op.ApiKey);
        var adminApi = App.ApiClient(admin.ApiKey);

        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync($"/api/v1/admin/users/{buyer.UserId}/wallet/adjustments", new { amount = 20m, reason = "late delivery" })).StatusCode);
        var large = await api.PostAsJsonAsync($"/api/v1/admin/users/{buyer.UserId}/wallet/adjustments", new { amount = 4000m, reason = "bulk refund" });
        var adjustmentId = (await large.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("adjustmentId").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await adminApi.PostAsync($"/api/v1/admin/wallet-adjustments/{adjustmentId}/approve", null)).StatusCode);
        var created = await adminApi.PostAsJsonAsync("/api/v1/admin/users", new { email = $"sup-{Guid.NewGuid():N}@example.test", password = "Passw0rd123", role = "Supervisor", tier = "regular" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await adminApi.PostAsync($"/api/v1/admin/users/{buyer.UserId}/disable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await adminApi.DeleteAsync($"/api/v1/admin/users/{buyer.UserId}/api-keys")).StatusCode);
        var shopSetup = new TestShop(App);
        var (sku, _) = await shopSetup.ProductWithKeysAsync(2);

        using var scope = App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
        var records = await db.AuditRecords.AsNoTracking().OrderBy(r => r.Id).ToListAsync();

        var adjusted = Assert.Single(records, r => r.Action == AuditActions.WalletAdjusted && r.Subject == buyer.UserId.ToString());
        Assert.Equal(op.UserId, adjusted.ActorId);
        Assert.Equal(op.Email, adjusted.ActorEmail);
        Assert.Equal(ClientIp, adjusted.IpAddress);
        Assert.Contains("+20.00", adjusted.Detail, StringComparison.Ordinal);
        Assert.Contains("late delivery", adjusted.Detail, StringComparison.Ordinal);
        Assert.True(adjusted.At > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.Single(records, r => r.Action == AuditActions.WalletAdjustmentRequested && r.ActorId == op.UserId && r.Detail.Contains(adjustmentId.ToString(), StringComparison.Ordinal));
        Assert.Single(records, r => r.Action == AuditActions.WalletAdjustmentApproved && r.ActorId == admin.UserId && r.Subject == buyer.UserId.ToString());
        Assert.Single(records, r => r.Action == AuditActions.UserCreated && r.ActorId == admin.UserId && r.Detail.Contains("Supervisor", StringComparison.Ordinal));
        Assert.Single(records, r => r.Action == AuditActions.UserDisabled && r.Subject == buyer.UserId.ToString());
        Assert.Single(records, r => r.Action == AuditActions.UserApiKeysRevoked && r.Subject == buyer.UserId.ToString());
        Assert.Contains(records, r => r.Action == AuditActions.SupplierCreated);
        Assert.Single(records, r => r.Action == AuditActions.ProductCreated && r.Subject == sku);
        Assert.Single(records, r => r.Action == AuditActions.BatchImported && r.Subject == sku && r.Detail.Contains("2 keys imported", StringComparison.Ordinal));
        Assert.All(records, r => Assert.Equal(ClientIp, r.IpAddress));
    }

    [Fact]
    public async Task A_refused_action_leaves_no_record_and_nothing_is_recorded_for_buyers()
    {
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);
        var buyer = await TestAccounts.CreateAsync(App);
        var email = $"admin-{Guid.NewGuid():N}@example.test";

        var refused = await App.ApiClient(op.ApiKey).PostAsJsonAsync("/api/v1/admin/users", new { email, password = "Passw0rd123", role = "Admin", tier = "regular" });
        var buyersOwn = await App.ApiClient(buyer.ApiKey).GetAsync("/api/v1/wallet");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var scope = App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
        Assert.False(await db.AuditRecords.AnyAsync(r => r.ActorId == op.UserId || r.ActorId == buyer.UserId));
        Assert.Equal(HttpStatusCode.OK, buyersOwn.StatusCode);
    }

    [Theory]
    [InlineData("UPDATE audit_records SET detail = 'nothing happened'")]
    [InlineData("DELETE FROM audit_records")]
    [InlineData("TRUNCATE audit_records")]
    public async Task The_database_refuses_to_change_or_remove_an_audit_record(string tamper)
    {
        var admin = await TestAccounts.CreateAsync(App, ShopRoles.Admin);
        var buyer = await TestAccounts.CreateAsync(App);
        Assert.Equal(HttpStatusCode.OK, (await App.ApiClient(admin.ApiKey).PostAsync($"/api/v1/admin/users/{buyer.UserId}/disable", null)).StatusCode);
        var before = await SnapshotAsync();

        await using var conn = new NpgsqlConnection(shop.Database.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(tamper, conn);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.Contains("append-only", refused.MessageText, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
        Assert.Contains(before, r => r.Contains(AuditActions.UserDisabled, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_audit_page_filters_by_actor_action_and_day_and_only_an_admin_sees_it()
    {
        var admin = await TestAccounts.CreateAsync(App, ShopRoles.Admin);
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);
        var buyer = await TestAccounts.CreateAsync(App);
        Assert.Equal(HttpStatusCode.OK, (await App.ApiClient(op.ApiKey).PostAsJsonAsync($"/api/v1/admin/users/{buyer.UserId}/wallet/adjustments", new { amount = 7m, reason = "coupon" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await App.ApiClient(admin.ApiKey).PostAsync($"/api/v1/admin/users/{buyer.UserId}/disable", null)).StatusCode);
        var today = ShopTime.Day(DateTimeOffset.UtcNow);

        using var web = new WebSession(App, "en-US");
        await web.SignInAsync(admin.Email, admin.Password);
        var byActor = await web.GetAsync($"/Admin/Audit?actor={Uri.EscapeDataString(op.Email)}&from={today}&to={today}");
        var byAction = await web.GetAsync($"/Admin/Audit?kind={AuditActions.UserDisabled}&actor={Uri.EscapeDataString(admin.Email)}");
        var yesterday = await web.GetAsync($"/Admin/Audit?actor={Uri.EscapeDataString(op.Email)}&to={ShopTime.Day(DateTimeOffset.UtcNow.AddDays(-2))}");

        Assert.Equal(HttpStatusCode.OK, byActor.Status);
        var row = Assert.Single(byActor.Document.QuerySelectorAll("[data-testid=audit-records] tbody tr"));
        Assert.Equal(AuditActions.WalletAdjusted, row.GetAttribute("data-action"));
        Assert.Contains("coupon", row.TextContent, StringComparison.Ordinal);
        Assert.Contains(ClientIp, row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Wallet adjusted", row.TextContent, StringComparison.Ordinal);
        Assert.Equal(AuditActions.UserDisabled, Assert.Single(byAction.Document.QuerySelectorAll("[data-testid=audit-records] tbody tr")).GetAttribute("data-action"));
        Assert.Empty(yesterday.Document.QuerySelectorAll("[data-testid=audit-records] tbody tr"));

        using var asOperator = new WebSession(App);
        await asOperator.SignInAsync(op.Email, op.Password);
        var refused = await asOperator.GetAsync("/Admin/Audit");
        Assert.True(refused.Status is HttpStatusCode.Redirect or HttpStatusCode.Forbidden, $"an operator got {(int)refused.Status}");
        Assert.DoesNotContain("coupon", refused.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_csv_export_has_a_bom_and_no_cell_that_a_spreadsheet_would_run_as_a_formula()
    {
        var admin = await TestAccounts.CreateAsync(App, ShopRoles.Admin);
        // Staff type these: an e-mail may start with - or +, a supplier's name with =, a product's with @.
        var op = await OpenAsync($"-op{Guid.NewGuid():N}"[..20] + "@example.test", ShopRoles.Operator);
        var api = App.ApiClient(op.ApiKey);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/admin/suppliers",
            new { code = "EVIL-" + Guid.NewGuid().ToString("N")[..6], name = "=HYPERLINK(\"http://evil.test\",\"x\")", webhookSecret = "test-webhook-secret-123456" })).StatusCode);
        var (sku, _) = await new TestShop(App).ProductWithKeysAsync(0, nameZh: "@SUM(1+1)", nameEn: "+cmd|' /C calc'!A0");

        using var web = new WebSession(App, "zh-CN");
        await web.SignInAsync(admin.Email, admin.Password);
        var response = await web.Client.GetAsync("/Admin/Audit?handler=Csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var rows = Parse(Encoding.UTF8.GetString(bytes[3..]));
        Assert.Equal(["时间", "操作人", "操作", "对象", "详情", "来源 IP"], rows[0]);
        var cells = rows.SelectMany(r => r).ToList();
        Assert.DoesNotContain(cells, c => c.Length > 0 && "=+-@\t\r".Contains(c[0], StringComparison.Ordinal));
        Assert.Contains(cells, c => c == "'" + op.Email);
        Assert.Contains(cells, c => c.StartsWith("'=HYPERLINK(", StringComparison.Ordinal));
        Assert.Contains(cells, c => c.StartsWith("'@SUM(1+1) / +cmd", StringComparison.Ordinal));
        Assert.Contains(rows, r => r[3] == sku && r[2] == "新建商品");
    }

    private async Task<List<string>> SnapshotAsync()
    {
        using var scope = App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
        return await db.AuditRecords.AsNoTracking().OrderBy(r => r.Id).Select(r => r.Id + " " + r.Action + " " + r.Detail).ToListAsync();
    }

    private async Task<TestAccount> OpenAsync(string email, string role)
    {
        using var scope = App.Services.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<AccountOpening>().OpenAsync(email, TestAccounts.Password, "", role, MemberTier.Regular);
        var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
        var (key, plain) = ApiKey.Issue(user.Id, "test", DateTimeOffset.UtcNow);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync();
        return new TestAccount(user.Id, email, TestAccounts.Password, plain);
    }

    private static List<string[]> Parse(string csv)
    {
        using var parser = new TextFieldParser(new StringReader(csv)) { HasFieldsEnclosedInQuotes = true, TrimWhiteSpace = false };
        parser.SetDelimiters(",");
        var rows = new List<string[]>();
        while (!parser.EndOfData) rows.Add(parser.ReadFields() ?? []);
        return rows;
    }

    /// <summary>The shop, with every request arriving from <see cref="ClientIp"/> (the test server has no client address of its own).</summary>
    public sealed class ClientAddressFixture : ShopFixture
    {
        protected override ShopFactory CreateFactory(string connectionString) => new(connectionString)
        {
            Configure = services => services.AddTransient<IStartupFilter, FromClientAddress>(),
        };

        private sealed class FromClientAddress : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                app.Use((context, following) =>
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(ClientIp);
                    return following(context);
                });
                next(app);
            };
        }
    }
}
