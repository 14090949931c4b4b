using CardMall.Application.Accounts;
using CardMall.Domain.Accounts;
using CardMall.Infrastructure.Persistence;
using CardMall.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CardMall.IntegrationTests.Support;

public sealed record TestAccount(Guid UserId, string Email, string Password, string ApiKey);

/// <summary>Opens accounts the way the shop does (same checks, same roles), with an API key each.</summary>
public static class TestAccounts
{
    public const string Password = "Passw0rd-long";

    public static async Task<TestAccount> CreateAsync(ShopFactory factory, string role = ShopRoles.Buyer, MemberTier tier = MemberTier.Regular)
    {
        using var scope = factory.Services.CreateScope();
        var opening = scope.ServiceProvider.GetRequiredService<AccountOpening>();
        var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@example.test";
        var user = await opening.OpenAsync(email, Password, "", role, tier);
        var (key, plain) = ApiKey.Issue(user.Id, "test", DateTimeOffset.UtcNow);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync();
        return new TestAccount(user.Id, email, Password, plain);
    }

    public static HttpClient ApiClient(this ShopFactory factory, string? apiKey)
    {
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (apiKey is not null) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }
}
