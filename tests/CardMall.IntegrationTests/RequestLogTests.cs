using System.Net.Http.Json;
using CardMall.Domain.Accounts;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;

namespace CardMall.IntegrationTests;

/// <summary>Every request is logged with its path and status; nothing secret a request carries ever is.</summary>
public sealed class RequestLogTests(ShopFixture shop) : IClassFixture<ShopFixture>
{
    [Fact]
    public async Task A_form_post_is_logged_with_path_and_status_but_not_the_password_it_carried()
    {
        var buyer = await TestAccounts.CreateAsync(shop.Factory);
        const string secret = "Zebra-Password-7781";
        using var web = new WebSession(shop.Factory);

        await web.SignInAsync(buyer.Email, secret);

        var line = shop.Factory.Logs.Lines.LastOrDefault(l => l.Contains("HTTP POST /Account/Login", StringComparison.Ordinal));
        Assert.NotNull(line);
        Assert.Contains("responded 200", line, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, shop.Factory.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_api_call_is_logged_with_its_use_case_and_status_but_not_the_secret_fields()
    {
        var op = await TestAccounts.CreateAsync(shop.Factory, ShopRoles.Operator);
        const string secret = "Walrus-Secret-99321";

        var response = await shop.Factory.ApiClient(op.ApiKey).PostAsJsonAsync("/api/v1/admin/users",
            new { email = $"new-{Guid.NewGuid():N}@example.test", password = secret, role = "Buyer", tier = "vip" });
        var created = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();

        var logs = shop.Factory.Logs.All;
        Assert.Contains("HTTP POST /api/v1/admin/users (/api/v1/admin/users) responded 201", logs, StringComparison.Ordinal);
        Assert.Contains("CreateUser", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(op.ApiKey, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(created.GetProperty("apiKey").GetString()!, logs, StringComparison.Ordinal);
    }
}
