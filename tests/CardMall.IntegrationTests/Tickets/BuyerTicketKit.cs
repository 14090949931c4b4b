using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using AngleSharp.Html.Dom;
using CardMall.Application.Abstractions;
using CardMall.Domain.Accounts;
using CardMall.Domain.Tickets;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using MediatR;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CardMall.IntegrationTests.Tickets;

/// <summary>A shop whose clock the buyer-ticket tests move by hand (urge interval, reopen window, SLA pause).</summary>
public sealed class BuyerTicketShop : ShopFixture
{
    // Whole seconds: PostgreSQL keeps microseconds, so due times read back compare exactly.
    public TestClock Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    protected override ShopFactory CreateFactory(string connectionString) =>
        new(connectionString) { Configure = s => s.AddSingleton<TimeProvider>(Clock) };
}

/// <summary>A buyer with one order of keys: the codes as the API handed them over, and the order's item ids.</summary>
public sealed record BuyerWithOrder(TestAccount Account, string Sku, string OrderNo, IReadOnlyList<Guid> ItemIds, IReadOnlyList<string> Codes);

/// <summary>
/// What the buyer-ticket tests need: buyers who bought keys through the API, tickets filed through the API,
/// and — for what staff do elsewhere (resolving, internal notes) — the domain and the database directly.
/// </summary>
public sealed class BuyerTicketKit(BuyerTicketShop shop)
{
    public ShopFactory App => shop.Factory;

    public TestClock Clock => shop.Clock;

    public TestShop Shop { get; } = new(shop.Factory);

    public async Task<BuyerWithOrder> BuyerWithOrderAsync(int quantity = 2, string role = ShopRoles.Buyer, MemberTier tier = MemberTier.Regular, string? sku = null)
    {
        sku ??= (await Shop.ProductWithKeysAsync(quantity + 2, price: 10.00m)).Sku;
        var buyer = await Shop.BuyerAsync(100.00m, role, tier);
        return await BuyAsync(buyer, sku, quantity);
    }

    public async Task<BuyerWithOrder> BuyAsync(TestAccount buyer, string sku, int quantity)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders") { Content = JsonContent.Create(new { sku, quantity, acceptNotices = true }) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        var response = await App.ApiClient(buyer.ApiKey).SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var items = body.GetProperty("items").EnumerateArray().ToList();
        return new BuyerWithOrder(buyer, sku, body.GetProperty("orderNo").GetString()!,
            items.Select(i => i.GetProperty("itemId").GetGuid()).ToList(), items.Select(i => i.GetProperty("code").GetString()!).ToList());
    }

    public Task<HttpResponseMessage> PostTicketAsync(TestAccount buyer, object body) =>
        App.ApiClient(buyer.ApiKey).PostAsJsonAsync("/api/v1/tickets", body);

    /// <summary>Files a ticket about the order's first key through the API and returns its number.</summary>
    public async Task<string> FileAsync(BuyerWithOrder order, string category = "key_invalid", IReadOnlyList<Guid>? items = null)
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

    /// <summary>Changes a ticket the way staff pages would, through the domain (the workspace is another person's area).</summary>
    public async Task WithTicketAsync(string ticketNo, Action<Ticket, ICardMallDb, DateTimeOffset> change)
    {
        using var scope = App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ICardMallDb>();
        var ticket = await db.Tickets.FirstAsync(t => t.No == ticketNo);
        change(ticket, db, Clock.GetUtcNow());
        await db.SaveChangesAsync();
    }

    public Task ResolveAsync(string ticketNo) => WithTicketAsync(ticketNo, (t, _, now) =>
    {
        t.Decide(Responsibility.Supplier, RootCause.KeyDefective, TicketResolution.Replaced, null, now);
        Assert.True(t.MoveTo(TicketStatus.Resolved, now));
    });

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

    /// <summary>Sends a use case as <paramref name="account"/> with <paramref name="role"/>, in English, on its own scope.</summary>
    public Task<T> SendAsync<T>(TestAccount account, string role, IRequest<T> request) =>
        // Its own task: the request context lives in an async-local, which must not leak into the test's flow.
        Task.Run(async () =>
        {
            using var scope = App.Services.CreateScope();
            var accessor = scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>();
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, account.UserId.ToString()), new Claim(ClaimTypes.Role, role)], "test");
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

    public async Task<T> ScalarAsync<T>(string sql, params object[] args)
    {
        await using var conn = new NpgsqlConnection(shop.Database.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var a in args) cmd.Parameters.AddWithValue(a);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    public Task<long> CountAsync(string sql, params object[] args) => ScalarAsync<long>(sql, args);

    /// <summary>Rows of every table a filed ticket writes to: a refused request must leave them all unchanged.</summary>
    public async Task<(long Tickets, long Messages, long Attachments, long Items)> TicketRowsAsync() =>
        (await CountAsync("SELECT count(*) FROM tickets"), await CountAsync("SELECT count(*) FROM ticket_messages"),
         await CountAsync("SELECT count(*) FROM ticket_attachments"), await CountAsync("SELECT count(*) FROM ticket_items"));

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
