using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using AngleSharp.Html.Dom;
using CardMall.Application.Abstractions;
using CardMall.Application.Features.Tickets;
using CardMall.Domain.Accounts;
using CardMall.Domain.Tickets;
using CardMall.Infrastructure.Persistence;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using CardMall.Web.Tickets;
using MediatR;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CardMall.IntegrationTests.Tickets;

/// <summary>
/// The shop on a hand-moved clock, with the SLA watcher's timer switched off: tests move time and run the
/// watcher's passes themselves, so nothing changes between a test's steps. A fixture that needs more
/// (another mail sender, settings) adds it through <see cref="AddServices"/> and <see cref="AddSettings"/>.
/// </summary>
public class TicketShop : ShopFixture
{
    // Whole seconds: PostgreSQL keeps microseconds, and pages show seconds, so times read back compare exactly.
    public TestClock Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    protected sealed override ShopFactory CreateFactory(string connectionString)
    {
        var factory = new ShopFactory(connectionString)
        {
            Configure = s =>
            {
                s.AddSingleton<TimeProvider>(Clock);
                AddServices(s);
            },
        };
        factory.Settings[SlaWatcher.EnabledSetting] = "false";
        AddSettings(factory.Settings);
        return factory;
    }

    protected virtual void AddServices(IServiceCollection services)
    {
    }

    protected virtual void AddSettings(IDictionary<string, string?> settings)
    {
    }
}

/// <summary>Somebody acting in a test: an account and the role it was opened with.</summary>
public sealed record Actor(TestAccount Account, string Role)
{
    public Guid UserId => Account.UserId;
}

/// <summary>An order a buyer bought through the API: its item ids and the codes the API handed over, in order.</summary>
public sealed record BoughtOrder(Actor Buyer, string Sku, string OrderNo, IReadOnlyList<Guid> ItemIds, IReadOnlyList<string> Codes)
{
    public TestAccount Account => Buyer.Account;

    /// <summary>For tests that need only the number and the items: <c>var (orderNo, items) = await kit.BuyAsync(…)</c>.</summary>
    public void Deconstruct(out string orderNo, out IReadOnlyList<Guid> itemIds) => (orderNo, itemIds) = (OrderNo, ItemIds);
}

/// <summary>A bought order and a ticket about all of its keys, as the buyer filed it.</summary>
public sealed record TicketedOrder(Actor Buyer, string OrderNo, IReadOnlyList<Guid> ItemIds, string TicketNo, string Sku);

/// <summary>
/// What the ticket tests set up the way people do: an operator stocks a product, buyers buy through the API
/// and file tickets (through the API or the CreateTicket use case), staff act through the same use cases the
/// pages send or sign in to the pages. A use case is sent as somebody by giving it a request context whose
/// user is that person (what the cookie or API key would have given it). What the workspace does elsewhere
/// (resolving, notes) can also be written through the domain directly, and the database read back.
/// </summary>
public sealed class TicketTestKit(ShopFixture shop)
{
    public const string DefaultDescription = "The key says it is invalid when I redeem it.";

    public ShopFactory App => Node ?? shop.Factory;

    /// <summary>Another web node on the same database, to act through instead of the fixture's own (the backplane tests).</summary>
    public ShopFactory? Node { get; init; }

    public TestShop Shop { get; } = new(shop.Factory);

    /// <summary>The shop's hand-moved clock (only a <see cref="TicketShop"/> has one).</summary>
    public TestClock Clock => (shop as TicketShop)?.Clock ?? throw new InvalidOperationException("This shop runs on the real clock.");

    /// <summary>The language use cases are sent and pages are read in, unless a call says otherwise.</summary>
    public string Culture { get; init; } = "en-US";

    // ---- people ----

    /// <summary>An account with one role and, for a buyer or reseller, money in the wallet; a reseller is on the reseller tier.</summary>
    public async Task<Actor> PersonAsync(string role, decimal balance = 0m)
    {
        var tier = role == ShopRoles.Reseller ? MemberTier.Reseller : MemberTier.Regular;
        return new Actor(await Shop.BuyerAsync(balance, role, tier), role);
    }

    public Task<Actor> BuyerAsync(decimal balance) => PersonAsync(ShopRoles.Buyer, balance);

    public Task<Actor> StaffAsync(string role) => PersonAsync(role);

    public async Task<WebSession> SignInAsync(Actor person, string? language = null)
    {
        var web = new WebSession(App, language ?? Culture);
        var signedIn = await web.SignInAsync(person.Account.Email, person.Account.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.Status);
        return web;
    }

    // ---- orders and tickets ----

    public async Task<BoughtOrder> BuyAsync(Actor buyer, string sku, int quantity)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders")
        {
            Content = JsonContent.Create(new { sku, quantity, acceptNotices = true }),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        var response = await App.ApiClient(buyer.Account.ApiKey).SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var items = body.GetProperty("items").EnumerateArray().ToList();
        return new BoughtOrder(buyer, sku, body.GetProperty("orderNo").GetString()!,
            items.Select(i => i.GetProperty("itemId").GetGuid()).ToList(), items.Select(i => i.GetProperty("code").GetString()!).ToList());
    }

    /// <summary>A fresh buyer (or reseller) with ¥100 who bought <paramref name="quantity"/> ¥10 keys of a new product (or of <paramref name="sku"/>).</summary>
    public async Task<BoughtOrder> BuyerWithOrderAsync(int quantity = 2, string role = ShopRoles.Buyer, string? sku = null)
    {
        sku ??= (await Shop.ProductWithKeysAsync(quantity + 2, price: 10.00m)).Sku;
        return await BuyAsync(await PersonAsync(role, 100.00m), sku, quantity);
    }

    /// <summary>A product with <paramref name="stock"/> keys; a buyer buys <paramref name="quantity"/> and files a ticket about them.</summary>
    public async Task<TicketedOrder> OrderWithTicketAsync(decimal price = 10.00m, int quantity = 10, int stock = 10, string? sku = null, Actor? buyer = null)
    {
        if (sku is null) (sku, _) = await Shop.ProductWithKeysAsync(stock, price: price, maxPerOrder: Math.Max(quantity, 10));
        buyer ??= await BuyerAsync(price * quantity);
        var order = await BuyAsync(buyer, sku, quantity);
        var ticketNo = await FileTicketAsync(buyer, order.OrderNo, order.ItemIds);
        return new TicketedOrder(buyer, order.OrderNo, order.ItemIds, ticketNo, sku);
    }

    /// <summary>Files a ticket through the CreateTicket use case, as the ticket form does, and returns its number.</summary>
    public async Task<string> FileTicketAsync(Actor buyer, string orderNo, IReadOnlyList<Guid> itemIds, TicketCategory category = TicketCategory.KeyInvalid,
        string description = DefaultDescription, string? device = "PC") =>
        (await SendAsync(buyer, new CreateTicket(orderNo, itemIds, category, description, device, []))).TicketNo;

    /// <summary>Files a ticket about one key of the order through the CreateTicket use case.</summary>
    public Task<string> FileTicketAsync(BoughtOrder order, int item = 0, TicketCategory category = TicketCategory.KeyInvalid) =>
        FileTicketAsync(order.Buyer, order.OrderNo, [order.ItemIds[item]], category);

    public Task<HttpResponseMessage> PostTicketAsync(TestAccount buyer, object body) =>
        App.ApiClient(buyer.ApiKey).PostAsJsonAsync("/api/v1/tickets", body);

    /// <summary>Files a ticket about the order's first key (or <paramref name="items"/>) through the API and returns its number.</summary>
    public async Task<string> FileAsync(BoughtOrder order, string category = "key_invalid", IReadOnlyList<Guid>? items = null)
    {
        var response = await PostTicketAsync(order.Account, new
        {
            orderNo = order.OrderNo,
            itemIds = items ?? [order.ItemIds[0]],
            category,
            description = "兑换时提示卡密无效 / The site says the key is invalid.",
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticketNo").GetString()!;
    }

    public async Task<JsonElement> GetTicketAsync(TestAccount buyer, string ticketNo)
    {
        var response = await App.ApiClient(buyer.ApiKey).GetAsync($"/api/v1/tickets/{ticketNo}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    // ---- acting through the use cases ----

    /// <summary>Sends a use case as <paramref name="actor"/>, in <see cref="Culture"/>, on its own request scope.</summary>
    public Task<T> SendAsync<T>(Actor actor, IRequest<T> request) =>
        // Its own task: the request context lives in an async-local, which must not leak into the test's flow.
        Task.Run(async () =>
        {
            using var scope = App.Services.CreateScope();
            var accessor = scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>();
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, actor.UserId.ToString()), new Claim(ClaimTypes.Role, actor.Role)], "test");
            accessor.HttpContext = new DefaultHttpContext { User = new ClaimsPrincipal(identity), RequestServices = scope.ServiceProvider };
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(Culture);
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

    // ---- what staff do elsewhere, through the domain ----

    /// <summary>Changes a ticket the way staff pages would, through the domain, at the shop's clock.</summary>
    public async Task WithTicketAsync(string ticketNo, Action<Ticket, ICardMallDb, DateTimeOffset> change)
    {
        using var scope = App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ICardMallDb>();
        var ticket = await db.Tickets.SingleAsync(t => t.No == ticketNo);
        change(ticket, db, Clock.GetUtcNow());
        await db.SaveChangesAsync();
    }

    public Task ResolveAsync(string ticketNo) => WithTicketAsync(ticketNo, (t, _, now) =>
    {
        t.Decide(Responsibility.Supplier, RootCause.KeyDefective, TicketResolution.Replaced, null, now);
        Assert.True(t.MoveTo(TicketStatus.Resolved, now));
    });

    /// <summary>A status change as the workspace makes it (the lifecycle and the clock are the domain's).</summary>
    public Task MoveAsync(string ticketNo, TicketStatus to) => WithTicketAsync(ticketNo, (t, _, now) => Assert.True(t.MoveTo(to, now)));

    /// <summary>An agent's internal note (with an image) and a staff-only event, as the workspace would write them.</summary>
    public async Task<Guid> AddInternalNoteAsync(string ticketNo, string body, Guid staffId)
    {
        var attachmentId = Guid.Empty;
        await WithTicketAsync(ticketNo, (t, db, now) =>
        {
            var note = new TicketMessage(t.Id, MessageAuthor.Staff, staffId, body, isInternal: true, now);
            db.TicketMessages.Add(note);
            var image = new TicketAttachment(t.Id, note.Id, "internal-proof.png", "image/png", Png(64), staffId, now);
            db.TicketAttachments.Add(image);
            attachmentId = image.Id;
            db.TicketEvents.Add(new TicketEvent(t.Id, TicketEventKinds.NoteAdded, now, staffId, "internal-detail", isPublic: false));
        });
        return attachmentId;
    }

    /// <summary>A public agent reply, as the workspace would write it.</summary>
    public Task AddAgentReplyAsync(string ticketNo, string body, Guid staffId) => WithTicketAsync(ticketNo, (t, db, now) =>
    {
        db.TicketMessages.Add(new TicketMessage(t.Id, MessageAuthor.Staff, staffId, body, isInternal: false, now));
        t.RecordStaffReply(now);
    });

    // ---- reading the database ----

    /// <summary>The ticket as stored (not tracked).</summary>
    public Task<Ticket> TicketAsync(string ticketNo) => QueryAsync(db => db.Tickets.AsNoTracking().SingleAsync(t => t.No == ticketNo));

    public async Task<T> QueryAsync<T>(Func<CardMallDbContext, Task<T>> query)
    {
        using var scope = App.Services.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<CardMallDbContext>());
    }

    public Task<NpgsqlConnection> OpenAsync() => shop.Database.Sql.OpenAsync();

    public Task<T> ScalarAsync<T>(string sql, params object[] args) => shop.Database.Sql.ScalarAsync<T>(sql, args);

    public Task<long> CountAsync(string sql, params object[] args) => shop.Database.Sql.CountAsync(sql, args);

    public Task ExecuteAsync(string sql, params object[] args) => shop.Database.Sql.ExecuteAsync(sql, args);

    /// <summary>Rows of every table a filed ticket writes to: a refused request must leave them all unchanged.</summary>
    public async Task<(long Tickets, long Messages, long Attachments, long Items)> TicketRowsAsync() =>
        (await CountAsync("SELECT count(*) FROM tickets"), await CountAsync("SELECT count(*) FROM ticket_messages"),
         await CountAsync("SELECT count(*) FROM ticket_attachments"), await CountAsync("SELECT count(*) FROM ticket_items"));

    /// <summary>Every wallet equals the sum of its ledger — the invariant money code must never break.</summary>
    public async Task AssertWalletsMatchLedgerAsync() =>
        Assert.Equal(0L, await ScalarAsync<long>("""
            SELECT count(*) FROM wallets w
            WHERE w.balance <> coalesce((SELECT sum(amount) FROM ledger_entries e WHERE e.user_id = w.user_id), 0)
            """));

    public Task<decimal> BalanceAsync(Actor buyer) => ScalarAsync<decimal>("SELECT balance FROM wallets WHERE user_id = $1", buyer.UserId);

    public Task<decimal> RefundedAsync(string orderNo) => ScalarAsync<decimal>("SELECT refunded_amount FROM orders WHERE no = $1", orderNo);

    // ---- files and forms ----

    /// <summary>Starts like a PNG (the signature is what is checked), <paramref name="size"/> bytes in all.</summary>
    public static byte[] Png(int size)
    {
        var bytes = new byte[size];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(bytes, 0);
        return bytes;
    }

    /// <summary>
    /// Submits a multipart form as a browser would: the page's hidden fields (antiforgery), the given
    /// fields and files, to the form's action or to the pressed button's formaction.
    /// </summary>
    public static async Task<WebSession.Page> SubmitMultipartAsync(WebSession web, string url, string formSelector,
        IEnumerable<KeyValuePair<string, string>> fields, IEnumerable<(string Field, string FileName, string ContentType, byte[] Content)>? files = null,
        string? action = null)
    {
        var page = await web.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var form = page.Document.QuerySelector(formSelector) as IHtmlFormElement ?? throw new InvalidOperationException($"No form {formSelector} on {url}");
        var content = new MultipartFormDataContent();
        var given = fields.ToList();
        foreach (var hidden in form.QuerySelectorAll("input[type=hidden]").OfType<IHtmlInputElement>())
            if (!string.IsNullOrEmpty(hidden.Name) && given.All(f => f.Key != hidden.Name)) content.Add(new StringContent(hidden.Value), hidden.Name!);
        foreach (var (key, value) in given) content.Add(new StringContent(value), key);
        foreach (var (field, fileName, contentType, bytes) in files ?? [])
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            content.Add(part, field, fileName);
        }
        var target = action ?? (string.IsNullOrEmpty(form.GetAttribute("action")) ? url : form.GetAttribute("action")!);
        var response = await web.Client.PostAsync(target, content);
        return await WebSession.Page.ReadAsync(response);
    }
}
