using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using AngleSharp.Dom;
using CardMall.Application.Features.Tickets;
using CardMall.Domain.Accounts;
using CardMall.Domain.Tickets;
using CardMall.Infrastructure.Persistence;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using MediatR;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CardMall.IntegrationTests.Tickets;

/// <summary>The shop on a hand-moved clock, so due times and countdowns can be checked exactly.</summary>
public sealed class WorkspaceFixture : ShopFixture
{
    // Whole seconds: PostgreSQL keeps microseconds, and the pages' countdowns carry seconds.
    public TestClock Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    protected override ShopFactory CreateFactory(string connectionString) =>
        new(connectionString) { Configure = s => s.AddSingleton<TimeProvider>(Clock) };
}

/// <summary>Somebody in a workspace test: an account and the one role it holds.</summary>
public sealed record WorkspacePerson(TestAccount Account, string Role)
{
    public Guid UserId => Account.UserId;
}

/// <summary>An order a buyer bought through the API, with the codes it delivered.</summary>
public sealed record BoughtOrder(string OrderNo, IReadOnlyList<Guid> ItemIds, IReadOnlyList<string> Codes);

/// <summary>
/// What the workspace tests set up the way people do: an operator stocks a product, buyers buy through
/// the API and file tickets through the CreateTicket use case, staff sign in to the pages. Use cases are
/// sent as a person by giving them a request whose user is that person.
/// </summary>
public sealed class WorkspaceDesk(ShopFactory app)
{
    public TestShop Shop { get; } = new(app);

    public async Task<WorkspacePerson> PersonAsync(string role, decimal balance = 0m)
    {
        var tier = role == ShopRoles.Reseller ? MemberTier.Reseller : MemberTier.Regular;
        return new(await Shop.BuyerAsync(balance, role, tier), role);
    }

    public async Task<BoughtOrder> BuyAsync(WorkspacePerson buyer, string sku, int quantity)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders")
        {
            Content = JsonContent.Create(new { sku, quantity, acceptNotices = true }),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        var response = await app.ApiClient(buyer.Account.ApiKey).SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var items = body.GetProperty("items").EnumerateArray().ToList();
        return new BoughtOrder(body.GetProperty("orderNo").GetString()!, items.Select(i => i.GetProperty("itemId").GetGuid()).ToList(),
            items.Select(i => i.GetProperty("code").GetString()!).ToList());
    }

    public async Task<string> FileAsync(WorkspacePerson buyer, BoughtOrder order, int item = 0, TicketCategory category = TicketCategory.KeyInvalid)
    {
        var created = await SendAsync(buyer, new CreateTicket(order.OrderNo, [order.ItemIds[item]], category,
            "兑换时提示卡密无效，麻烦帮我看看。", "PC", []));
        return created.TicketNo;
    }

    /// <summary>Sends a use case as <paramref name="person"/> on its own request scope.</summary>
    public Task<T> SendAsync<T>(WorkspacePerson person, IRequest<T> request, string culture = "zh-CN") =>
        // Its own task: the request context lives in an async-local that must not leak into the test.
        Task.Run(async () =>
        {
            using var scope = app.Services.CreateScope();
            var accessor = scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>();
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, person.UserId.ToString()), new Claim(ClaimTypes.Role, person.Role)], "test");
            accessor.HttpContext = new DefaultHttpContext { User = new ClaimsPrincipal(identity), RequestServices = scope.ServiceProvider };
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
            try
            {
                return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
            }
            finally
            {
                accessor.HttpContext = null;
            }
        });

    public async Task<Exception?> RefusalAsync<T>(WorkspacePerson person, IRequest<T> request)
    {
        try
        {
            await SendAsync(person, request);
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    public async Task<WebSession> SignInAsync(WorkspacePerson person, string language = "zh-CN")
    {
        var web = new WebSession(app, language);
        var signedIn = await web.SignInAsync(person.Account.Email, person.Account.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.Status);
        return web;
    }

    public async Task<Ticket> TicketAsync(string ticketNo)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
        return await db.Tickets.AsNoTracking().SingleAsync(t => t.No == ticketNo);
    }

    public async Task<T> QueryAsync<T>(Func<CardMallDbContext, Task<T>> query)
    {
        using var scope = app.Services.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<CardMallDbContext>());
    }

    /// <summary>Ticket numbers in the order the queue page lists them.</summary>
    public static IReadOnlyList<string> QueueOrder(WebSession.Page queue) =>
        queue.Document.QuerySelectorAll("table[data-testid=queue] tr[data-ticket]").Select(r => r.GetAttribute("data-ticket")!).ToList();

    public static IElement Row(WebSession.Page queue, string ticketNo) =>
        queue.Document.QuerySelector($"table[data-testid=queue] tr[data-ticket='{ticketNo}']")
        ?? throw new InvalidOperationException($"{ticketNo} is not in the queue.");

    public static string Url(string ticketNo) => "/Admin/Tickets/" + ticketNo;
}
