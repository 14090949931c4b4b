using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using CardMall.Application.Features.Tickets;
using CardMall.Domain.Accounts;
using CardMall.Domain.Tickets;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using MediatR;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CardMall.IntegrationTests.Tickets;

/// <summary>Somebody acting in a test: an account and the role it was opened with.</summary>
public sealed record Actor(TestAccount Account, string Role)
{
    public Guid UserId => Account.UserId;
}

/// <summary>A bought order and a ticket about it, as the buyer filed it.</summary>
public sealed record TicketedOrder(Actor Buyer, string OrderNo, IReadOnlyList<Guid> ItemIds, string TicketNo, string Sku);

/// <summary>
/// Sets up remedy scenarios the way people would: an operator stocks a product, a buyer buys through the
/// API and files a ticket, and staff act through the same use cases the pages send. A use case is sent
/// as a given user by giving it a request context whose user is that person (what the cookie or API key
/// would have given it).
/// </summary>
public sealed class RemedyScenario(ShopFactory app, string connectionString)
{
    public TestShop Shop { get; } = new(app);

    public async Task<Actor> StaffAsync(string role) => new(await TestAccounts.CreateAsync(app, role), role);

    public async Task<Actor> BuyerAsync(decimal balance) => new(await Shop.BuyerAsync(balance), ShopRoles.Buyer);

    /// <summary>A product with <paramref name="stock"/> keys; a buyer buys <paramref name="quantity"/> and files a ticket about them.</summary>
    public async Task<TicketedOrder> TicketAsync(decimal price = 10.00m, int quantity = 10, int stock = 10, string? sku = null, Actor? buyer = null)
    {
        if (sku is null) (sku, _) = await Shop.ProductWithKeysAsync(stock, price: price, maxPerOrder: Math.Max(quantity, 10));
        buyer ??= await BuyerAsync(price * quantity);
        var (orderNo, itemIds) = await BuyAsync(buyer, sku, quantity);
        var ticketNo = await FileTicketAsync(buyer, orderNo, itemIds);
        return new TicketedOrder(buyer, orderNo, itemIds, ticketNo, sku);
    }

    public async Task<(string OrderNo, IReadOnlyList<Guid> ItemIds)> BuyAsync(Actor buyer, string sku, int quantity)
    {
        var client = app.ApiClient(buyer.Account.ApiKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders")
        {
            Content = JsonContent.Create(new { sku, quantity, acceptNotices = true }),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var items = body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("itemId").GetGuid()).ToList();
        return (body.GetProperty("orderNo").GetString()!, items);
    }

    public async Task<string> FileTicketAsync(Actor buyer, string orderNo, IReadOnlyList<Guid> itemIds, TicketCategory category = TicketCategory.KeyInvalid)
    {
        var created = await SendAsync(buyer, new CreateTicket(orderNo, itemIds, category, "The key says it is invalid when I redeem it.",
            "PC", []));
        return created.TicketNo;
    }

    /// <summary>Sends a use case as <paramref name="actor"/>, in English, on its own request scope.</summary>
    public Task<T> SendAsync<T>(Actor actor, IRequest<T> request) =>
        // Its own task: the request context lives in an async-local, which must not leak into the test's flow.
        Task.Run(async () =>
        {
            using var scope = app.Services.CreateScope();
            var accessor = scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>();
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, actor.UserId.ToString()), new Claim(ClaimTypes.Role, actor.Role)], "test");
            accessor.HttpContext = new DefaultHttpContext { User = new ClaimsPrincipal(identity), RequestServices = scope.ServiceProvider };
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en-US");
            try
            {
                return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
            }
            finally
            {
                accessor.HttpContext = null;
            }
        });

    /// <summary>What went wrong when a use case refused, or null when it succeeded.</summary>
    public async Task<Exception?> RefusalAsync<T>(Actor actor, IRequest<T> request)
    {
        try
        {
            await SendAsync(actor, request);
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        return conn;
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] args)
    {
        await using var conn = await OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var a in args) cmd.Parameters.AddWithValue(a);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    public Task ExecuteAsync(string sql, params object[] args) => ScalarAsync<object>(sql + " RETURNING 1", args);

    /// <summary>Every wallet equals the sum of its ledger — the invariant money code must never break.</summary>
    public async Task AssertWalletsMatchLedgerAsync() =>
        Assert.Equal(0L, await ScalarAsync<long>("""
            SELECT count(*) FROM wallets w
            WHERE w.balance <> coalesce((SELECT sum(amount) FROM ledger_entries e WHERE e.user_id = w.user_id), 0)
            """));

    public Task<decimal> BalanceAsync(Actor buyer) => ScalarAsync<decimal>("SELECT balance FROM wallets WHERE user_id = $1", buyer.UserId);

    public Task<decimal> RefundedAsync(string orderNo) => ScalarAsync<decimal>("SELECT refunded_amount FROM orders WHERE no = $1", orderNo);

    public Task<long> CountAsync(string sql, params object[] args) => ScalarAsync<long>(sql, args);
}
