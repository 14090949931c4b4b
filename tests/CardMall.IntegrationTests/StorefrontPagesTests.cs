using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Dom;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using Npgsql;

namespace CardMall.IntegrationTests;

/// <summary>
/// The buyer's storefront through its real pages: shelves, search, the product page and its notices,
/// buying with the form, the order page (masked keys, reveal, downloads), the order list, notifications,
/// and nobody else's order.
/// </summary>
public sealed class StorefrontPagesTests(ShopFixture shop) : IClassFixture<ShopFixture>
{
    private const string NoticesRequired = "请先阅读并勾选“我已阅读并同意购买须知”。";
    private readonly TestShop _shop = new(shop.Factory);

    private ShopFactory App => shop.Factory;

    [Fact]
    public async Task The_home_page_lists_products_on_sale_with_their_stock_level_and_links_the_categories()
    {
        // The cheapest products of a shelf come first, and the home page shows a shelf's first six.
        var (plenty, _) = await _shop.ProductWithKeysAsync(12, price: 0.01m);
        var (few, _) = await _shop.ProductWithKeysAsync(3, price: 0.02m);
        var (soldOut, _) = await _shop.ProductWithKeysAsync(0, price: 0.03m);
        using var web = new WebSession(App);

        var home = await web.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, home.Status);
        Assert.Equal("充足", StockBadge(home, plenty));
        Assert.Equal("少量", StockBadge(home, few));
        Assert.Equal("缺货", StockBadge(home, soldOut));
        Assert.Equal("¥0.01", Card(home, plenty).QuerySelector("[data-testid=product-price]")?.TextContent.Trim());
        Assert.Equal($"/Products/{plenty}", Card(home, plenty).QuerySelector("a[data-testid=product-link]")?.GetAttribute("href"));
        var categoryLinks = home.Document.QuerySelectorAll("[data-testid=categories] a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(new string?[] { "/Category/game-cards", "/Category/activation-codes", "/Category/memberships" }, categoryLinks);

        var shelf = await web.GetAsync("/Category/game-cards");
        Assert.Equal("充足", StockBadge(shelf, plenty));
        var otherShelf = await web.GetAsync("/Category/memberships");
        Assert.Null(otherShelf.Document.QuerySelector($"[data-testid=product-card][data-sku='{plenty}']"));
        Assert.Equal(HttpStatusCode.NotFound, (await web.GetAsync("/Category/no-such-shelf")).Status);
    }

    [Fact]
    public async Task The_search_box_finds_a_product_by_its_Chinese_name_and_by_its_English_name()
    {
        var (sku, _) = await _shop.ProductWithKeysAsync(2, nameZh: "龙腾四海点卡 50 元", nameEn: "Dragon Seas Card 50");
        using var web = new WebSession(App);

        var home = await web.GetAsync("/");
        var box = home.Document.QuerySelector("form[data-testid=search-form]") as IHtmlFormElement;
        Assert.NotNull(box);
        Assert.Equal("/Search", box.GetAttribute("action"));
        Assert.Equal("get", box.Method, ignoreCase: true);

        var byChinese = await web.GetAsync("/Search?q=" + Uri.EscapeDataString("龙腾四海"));
        Assert.NotNull(byChinese.Document.QuerySelector($"[data-testid=search-results] [data-sku='{sku}']"));

        var byEnglish = await web.GetAsync("/Search?q=" + Uri.EscapeDataString("dragon seas"));
        Assert.NotNull(byEnglish.Document.QuerySelector($"[data-testid=search-results] [data-sku='{sku}']"));

        var nothing = await web.GetAsync("/Search?q=" + Uri.EscapeDataString("没有这种商品"));
        Assert.Contains("没有找到与“没有这种商品”匹配的商品。", nothing.Document.QuerySelector("[data-testid=no-results]")?.TextContent, StringComparison.Ordinal);
        Assert.Null(nothing.Document.QuerySelector("[data-testid=product-card]"));

        // What the visitor typed is shown as text, never as markup.
        var markup = await web.GetAsync("/Search?q=" + Uri.EscapeDataString("<b>bold</b>"));
        Assert.DoesNotContain("<b>bold</b>", markup.Html, StringComparison.Ordinal);
        Assert.Contains("<b>bold</b>", markup.Document.QuerySelector("h1")?.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_product_page_shows_the_notices_and_the_tutorial_link_and_asks_visitors_to_sign_in()
    {
        var (sku, _) = await _shop.ProductWithKeysAsync(5, price: 20.00m, maxPerBuyerPerDay: 3);
        var (untaught, _) = await _shop.ProductWithKeysAsync(1);
        await PublishTutorialAsync(sku);
        using var web = new WebSession(App);

        var page = await web.GetAsync($"/Products/{sku}");
        // A product without a published tutorial points to the help centre, never to a missing page.
        var withoutTutorial = await web.GetAsync($"/Products/{untaught}");
        Assert.Null(withoutTutorial.Document.QuerySelector("a[data-testid=tutorial-link]"));
        Assert.NotNull(withoutTutorial.Document.QuerySelector("a[href='/Help']"));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var notices = page.Document.QuerySelector("[data-testid=notices]")?.TextContent ?? "";
        Assert.Contains("卡密发货后 365 天内有效", notices, StringComparison.Ordinal);
        Assert.Contains("最多绑定 1 台设备", notices, StringComparison.Ordinal);
        Assert.Contains("中国大陆", notices, StringComparison.Ordinal);
        Assert.Contains("不支持七天无理由退货", notices, StringComparison.Ordinal);
        Assert.Equal($"/Help/tutorial-{sku.ToLowerInvariant()}", page.Document.QuerySelector("a[data-testid=tutorial-link]")?.GetAttribute("href"));
        Assert.Contains("每人每天最多 3 件", page.Html, StringComparison.Ordinal);
        Assert.Equal("¥20.00", page.Document.QuerySelector("[data-testid=price]")?.TextContent.Trim());
        // Visitors are asked to sign in (and come back here) instead of seeing the buy form.
        Assert.Null(page.Document.QuerySelector("form[data-testid=buy-form]"));
        Assert.Equal($"/Account/Login?returnUrl=%2FProducts%2F{sku}", page.Document.QuerySelector("a[data-testid=sign-in-to-buy]")?.GetAttribute("href"));

        Assert.Equal(HttpStatusCode.NotFound, (await web.GetAsync("/Products/NO-SUCH-SKU")).Status);
    }

    [Fact]
    public async Task A_VIP_sees_their_price_with_the_list_price_struck_through()
    {
        var (sku, _) = await _shop.ProductWithKeysAsync(2, price: 50.00m, vipPrice: 45.00m);
        var vip = await _shop.BuyerAsync(0, tier: CardMall.Domain.Accounts.MemberTier.Vip);
        using var web = await SignedInAsync(vip);

        var page = await web.GetAsync($"/Products/{sku}");

        Assert.Equal("¥45.00", page.Document.QuerySelector("[data-testid=price]")?.TextContent.Trim());
        Assert.Equal("¥50.00", page.Document.QuerySelector("del[data-testid=list-price]")?.TextContent.Trim());
    }

    [Fact]
    public async Task Buying_without_ticking_the_notices_shows_the_error_and_creates_no_order()
    {
        var (sku, _) = await _shop.ProductWithKeysAsync(5);
        var buyer = await _shop.BuyerAsync(100.00m);
        using var web = await SignedInAsync(buyer);

        var page = await web.SubmitAsync($"/Products/{sku}", "form[data-testid=buy-form]", new Dictionary<string, string> { ["Input.Quantity"] = "1" });

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(NoticesRequired, page.FieldErrors("Input.AcceptNotices"));
        Assert.NotNull(page.Document.QuerySelector("[data-testid=notices]"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM orders WHERE user_id = $1", buyer.UserId));
        Assert.Equal(100.00m, await ScalarAsync<decimal>("SELECT balance FROM wallets WHERE user_id = $1", buyer.UserId));
    }

    [Fact]
    public async Task A_quantity_out_of_range_or_not_a_number_is_refused_in_the_shops_words()
    {
        var (sku, _) = await _shop.ProductWithKeysAsync(5, maxPerOrder: 3);
        var buyer = await _shop.BuyerAsync(100.00m);
        using var web = await SignedInAsync(buyer);

        foreach (var quantity in new[] { "4", "abc", "0" })
        {
            var page = await web.SubmitAsync($"/Products/{sku}", "form[data-testid=buy-form]", new Dictionary<string, string>
            {
                ["Input.Quantity"] = quantity,
                ["Input.AcceptNotices"] = "true",
            });

            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.Contains(page.FieldErrors("Input.Quantity"), e => e.StartsWith("购买数量须在 1 到", StringComparison.Ordinal));
            Assert.All(page.FieldErrors("Input.Quantity"), e => Assert.DoesNotContain("valid", e, StringComparison.Ordinal));
        }
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM orders WHERE user_id = $1", buyer.UserId));
    }

    [Fact]
    public async Task Buying_shows_the_order_with_masked_keys_and_a_reveal_shows_exactly_that_key_and_is_recorded()
    {
        var (sku, codes) = await _shop.ProductWithKeysAsync(4, price: 10.00m);
        var buyer = await _shop.BuyerAsync(100.00m);
        using var web = await SignedInAsync(buyer);

        var bought = await BuyAsync(web, sku, quantity: 2);
        Assert.Equal(HttpStatusCode.Redirect, bought.Status);
        Assert.StartsWith("/Orders/", bought.Location, StringComparison.Ordinal);
        var order = await web.FollowAsync(bought);

        Assert.Equal(HttpStatusCode.OK, order.Status);
        Assert.NotNull(order.Document.QuerySelector("[data-testid=order-placed]"));
        Assert.Equal(2, order.Document.QuerySelectorAll("[data-testid=masked-key]").Length);
        Assert.Contains("已同意第 1 版", order.Document.QuerySelector("[data-testid=notices-version]")?.TextContent, StringComparison.Ordinal);
        Assert.All(codes, code => Assert.DoesNotContain(code, order.Html, StringComparison.Ordinal));
        Assert.Equal(80.00m, await ScalarAsync<decimal>("SELECT balance FROM wallets WHERE user_id = $1", buyer.UserId));

        var firstRow = order.Document.QuerySelectorAll("[data-testid=key-row]")[0];
        var itemId = Guid.Parse(firstRow.GetAttribute("data-item-id")!);
        var revealed = await PostFormAsync(web, firstRow.QuerySelector("form")!);

        Assert.Equal(HttpStatusCode.OK, revealed.Status);
        var shown = revealed.Document.QuerySelectorAll("[data-testid=revealed-code]").Select(e => e.TextContent.Trim()).ToList();
        var code = Assert.Single(shown);
        Assert.Contains(code, codes);
        Assert.Equal("S" + code[^6..], revealed.Document.QuerySelector("[data-testid=revealed-secret]")?.TextContent.Trim());
        Assert.Single(codes, c => revealed.Html.Contains(c, StringComparison.Ordinal));
        Assert.Single(revealed.Document.QuerySelectorAll("[data-testid=masked-key]"));
        Assert.Contains("no-store", revealed.CacheControl, StringComparison.Ordinal);
        // The reveal is evidence: one event for that item's key, by this buyer.
        Assert.Equal(1L, await ScalarAsync<long>("""
            SELECT count(*) FROM card_key_events e JOIN order_items i ON i.card_key_id = e.card_key_id
            WHERE i.id = $1 AND e.kind = 'Revealed' AND e.actor_user_id = $2
            """, itemId, buyer.UserId));
        Assert.Equal(1L, await ScalarAsync<long>("""
            SELECT count(*) FROM card_key_events e JOIN orders o ON o.id = e.order_id
            WHERE o.user_id = $1 AND e.kind = 'Revealed'
            """, buyer.UserId));

        // Coming back later shows the keys masked again.
        var again = await web.GetAsync(bought.Location!);
        Assert.Equal(2, again.Document.QuerySelectorAll("[data-testid=masked-key]").Length);
        Assert.DoesNotContain(code, again.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_TXT_and_CSV_downloads_hold_the_order_keys_and_the_CSV_starts_with_a_BOM()
    {
        var (sku, codes) = await _shop.ProductWithKeysAsync(2);
        var buyer = await _shop.BuyerAsync(100.00m);
        using var web = await SignedInAsync(buyer);
        var order = await web.FollowAsync(await BuyAsync(web, sku, quantity: 2));

        var txt = await web.Client.SendAsync(FormRequest(order.Document.QuerySelector("form[data-testid=download-txt]")!));
        var csv = await web.Client.SendAsync(FormRequest(order.Document.QuerySelector("form[data-testid=download-csv]")!));

        Assert.Equal(HttpStatusCode.OK, txt.StatusCode);
        Assert.Equal("text/plain", txt.Content.Headers.ContentType?.MediaType);
        var text = await txt.Content.ReadAsStringAsync();
        Assert.All(codes, c => Assert.Contains($"{c}----S{c[^6..]}", text, StringComparison.Ordinal));
        Assert.EndsWith(".txt", txt.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var table = System.Text.Encoding.UTF8.GetString(bytes[3..]);
        Assert.StartsWith("code,secret,expires_at", table, StringComparison.Ordinal);
        Assert.All(codes, c => Assert.Contains($"{c},S{c[^6..]},", table, StringComparison.Ordinal));
        Assert.Equal(4L, await ScalarAsync<long>("""
            SELECT count(*) FROM card_key_events e JOIN orders o ON o.id = e.order_id
            WHERE o.user_id = $1 AND e.kind = 'Downloaded'
            """, buyer.UserId));
    }

    [Fact]
    public async Task Another_buyer_gets_404_for_the_order_page_and_for_revealing_its_key()
    {
        var (sku, codes) = await _shop.ProductWithKeysAsync(1);
        var alice = await _shop.BuyerAsync(50.00m);
        using var aliceWeb = await SignedInAsync(alice);
        var bought = await BuyAsync(aliceWeb, sku, quantity: 1);
        var aliceOrder = await aliceWeb.FollowAsync(bought);
        var revealForm = aliceOrder.Document.QuerySelector("[data-testid=key-row] form")!;
        var bob = await _shop.BuyerAsync(50.00m);
        using var bobWeb = await SignedInAsync(bob);

        var page = await bobWeb.GetAsync(bought.Location!);
        Assert.Equal(HttpStatusCode.NotFound, page.Status);

        // Bob posts Alice's reveal form with his own (valid) antiforgery token.
        var bobHome = await bobWeb.GetAsync("/");
        var request = new HttpRequestMessage(HttpMethod.Post, revealForm.GetAttribute("action"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = AntiforgeryToken(bobHome) }),
        };
        var reveal = await bobWeb.Client.SendAsync(request);
        var body = await reveal.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, reveal.StatusCode);
        Assert.DoesNotContain(codes[0], body, StringComparison.Ordinal);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM card_key_events WHERE kind = 'Revealed' AND actor_user_id = $1", bob.UserId));
    }

    [Fact]
    public async Task Submitting_the_same_buy_form_twice_creates_one_order()
    {
        var (sku, _) = await _shop.ProductWithKeysAsync(5, price: 10.00m);
        var buyer = await _shop.BuyerAsync(100.00m);
        using var web = await SignedInAsync(buyer);
        var page = await web.GetAsync($"/Products/{sku}");
        var form = (IHtmlFormElement)page.Document.QuerySelector("form[data-testid=buy-form]")!;
        var fields = HiddenFields(form);
        fields["Input.Quantity"] = "1";
        fields["Input.AcceptNotices"] = "true";
        Assert.False(string.IsNullOrEmpty(fields["Input.IdempotencyKey"]));

        var first = await web.Client.PostAsync($"/Products/{sku}", new FormUrlEncodedContent(fields));
        var second = await web.Client.PostAsync($"/Products/{sku}", new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM orders WHERE user_id = $1", buyer.UserId));
        Assert.Equal(90.00m, await ScalarAsync<decimal>("SELECT balance FROM wallets WHERE user_id = $1", buyer.UserId));
    }

    [Fact]
    public async Task Too_little_money_is_explained_with_a_way_to_top_up_and_nothing_is_bought()
    {
        var (sku, _) = await _shop.ProductWithKeysAsync(3, price: 30.00m);
        var buyer = await _shop.BuyerAsync(10.00m);
        using var web = await SignedInAsync(buyer, "en-US");

        var page = await BuyAsync(web, sku, quantity: 1);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var alert = page.Document.QuerySelector("[data-testid=insufficient-balance]");
        Assert.Contains("Your balance is too low; nothing was charged.", alert?.TextContent, StringComparison.Ordinal);
        Assert.Equal("/Wallet", alert?.QuerySelector("a")?.GetAttribute("href"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM orders WHERE user_id = $1", buyer.UserId));
    }

    [Fact]
    public async Task The_order_list_pages_and_every_fifth_order_brings_a_thank_you_notification()
    {
        var (sku, _) = await _shop.ProductWithKeysAsync(21, price: 1.00m, maxPerBuyerPerDay: null);
        var buyer = await _shop.BuyerAsync(100.00m);
        var api = App.ApiClient(buyer.ApiKey);
        for (var i = 0; i < 21; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders")
            {
                Content = JsonContent.Create(new { sku, quantity = 1, acceptNotices = true }),
            };
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            Assert.Equal(HttpStatusCode.Created, (await api.SendAsync(request)).StatusCode);
        }
        using var web = await SignedInAsync(buyer);

        var first = await web.GetAsync("/Orders");
        Assert.Equal(20, first.Document.QuerySelectorAll("[data-testid=orders] tbody tr").Length);
        var pagerLinks = first.Document.QuerySelectorAll("[data-testid=pager] a");
        var next = pagerLinks[pagerLinks.Length - 1].GetAttribute("href");
        Assert.Equal("/Orders?p=2", next);
        var second = await web.GetAsync(next!);
        var lastRow = Assert.Single(second.Document.QuerySelectorAll("[data-testid=orders] tbody tr"));
        var orderLink = lastRow.QuerySelector("a")!.GetAttribute("href")!;
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync(orderLink)).Status);

        // Orders 5, 10, 15 and 20 each brought a thank-you note.
        Assert.Equal("4", second.Document.QuerySelector("[data-testid=unread-count]")?.TextContent.Trim());
        var inbox = await web.GetAsync("/Notifications");
        var notes = inbox.Document.QuerySelectorAll("[data-testid=notification]").Select(n => n.TextContent).ToList();
        Assert.Equal(4, notes.Count);
        Assert.Contains(notes, n => n.Contains("感谢你在 CardMall 完成第 20 笔订单！", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Contains("感谢你在 CardMall 完成第 5 笔订单！", StringComparison.Ordinal));

        var read = await web.SubmitAsync("/Notifications", "form[data-testid=mark-all-read]", new Dictionary<string, string>());
        var after = await web.FollowAsync(read);
        Assert.Null(after.Document.QuerySelector("[data-testid=unread-count]"));
        Assert.Null(after.Document.QuerySelector("[data-testid=mark-all-read]"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL", buyer.UserId));
    }

    [Fact]
    public async Task A_buyer_with_over_a_thousand_orders_sees_more_than_1000_and_still_pages_to_the_oldest()
    {
        var (sku, _) = await _shop.ProductWithKeysAsync(1, price: 1.00m, maxPerBuyerPerDay: null);
        var buyer = await _shop.BuyerAsync(10.00m);
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders")
        {
            Content = JsonContent.Create(new { sku, quantity = 1, acceptNotices = true }),
        })
        {
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            Assert.Equal(HttpStatusCode.Created, (await App.ApiClient(buyer.ApiKey).SendAsync(request)).StatusCode);
        }
        // Years of history: 1,024 more orders, each a day older than the one before.
        var copied = await ScalarAsync<long>("""
            WITH history AS (
                INSERT INTO orders
                SELECT (jsonb_populate_record(NULL::orders, to_jsonb(o) || jsonb_build_object('id', gen_random_uuid(),
                    'no', 'CMH' || lpad(g::text, 10, '0'), 'idempotency_key', NULL, 'created_at', o.created_at - g * interval '1 day'))).*
                FROM orders o CROSS JOIN generate_series(1, 1024) g WHERE o.user_id = $1
                RETURNING 1)
            SELECT count(*) FROM history
            """, buyer.UserId);
        Assert.Equal(1024L, copied);
        using var web = await SignedInAsync(buyer);

        var first = await web.GetAsync("/Orders");
        Assert.Equal("超过 1000 笔", first.Document.QuerySelector("[data-testid=order-count]")?.TextContent.Trim());
        Assert.Equal(20, first.Document.QuerySelectorAll("[data-testid=orders] tbody tr").Length);
        var firstLinks = first.Document.QuerySelectorAll("[data-testid=pager] a");
        Assert.Equal("/Orders?p=2", firstLinks[firstLinks.Length - 1].GetAttribute("href"));

        // Past the thousandth order the pager still leads on, and near the end the count is exact again.
        var past = await web.GetAsync("/Orders?p=51");
        Assert.Equal(20, past.Document.QuerySelectorAll("[data-testid=orders] tbody tr").Length);
        var pastLinks = past.Document.QuerySelectorAll("[data-testid=pager] a");
        Assert.Equal("/Orders?p=52", pastLinks[pastLinks.Length - 1].GetAttribute("href"));
        var last = await web.GetAsync("/Orders?p=52");
        Assert.Equal("共 1025 笔", last.Document.QuerySelector("[data-testid=order-count]")?.TextContent.Trim());
        var oldest = last.Document.QuerySelectorAll("[data-testid=orders] tbody tr");
        Assert.Equal(5, oldest.Length);
        Assert.Equal("CMH0000001024", oldest[^1].QuerySelector("a")?.TextContent.Trim());
        Assert.Contains("disabled", last.Document.QuerySelectorAll("[data-testid=pager] li")[^1].ClassName, StringComparison.Ordinal);

        // The API keeps its contract: the exact total.
        var listed = await App.ApiClient(buyer.ApiKey).GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/orders");
        Assert.Equal(1025, listed.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Signed_out_visitors_are_sent_to_sign_in_for_orders_and_notifications()
    {
        using var web = new WebSession(App);

        foreach (var path in new[] { "/Orders", "/Orders/CM0000000000", "/Notifications" })
        {
            var page = await web.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, page.Status);
            Assert.Contains("/Account/Login?ReturnUrl=", page.Location, StringComparison.Ordinal);
        }
    }

    private async Task<WebSession> SignedInAsync(TestAccount account, string? language = null)
    {
        var web = new WebSession(App, language);
        var signedIn = await web.SignInAsync(account.Email, account.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.Status);
        return web;
    }

    private static Task<WebSession.Page> BuyAsync(WebSession web, string sku, int quantity) =>
        web.SubmitAsync($"/Products/{sku}", "form[data-testid=buy-form]", new Dictionary<string, string>
        {
            ["Input.Quantity"] = quantity.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.AcceptNotices"] = "true",
        });

    private static AngleSharp.Dom.IElement Card(WebSession.Page page, string sku) =>
        page.Document.QuerySelector($"[data-testid=product-card][data-sku='{sku}']") ?? throw new InvalidOperationException($"No card for {sku}");

    private static string? StockBadge(WebSession.Page page, string sku) =>
        Card(page, sku).QuerySelector("[data-testid=stock-badge]")?.TextContent.Trim();

    private static Dictionary<string, string> HiddenFields(AngleSharp.Dom.IElement form) =>
        form.QuerySelectorAll("input[type=hidden]").OfType<IHtmlInputElement>()
            .Where(i => !string.IsNullOrEmpty(i.Name))
            .GroupBy(i => i.Name!).ToDictionary(g => g.Key, g => g.First().Value);

    private static string AntiforgeryToken(WebSession.Page page) =>
        page.Document.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? throw new InvalidOperationException("No antiforgery token on the page.");

    private static HttpRequestMessage FormRequest(AngleSharp.Dom.IElement form) =>
        new(HttpMethod.Post, form.GetAttribute("action")) { Content = new FormUrlEncodedContent(HiddenFields(form)) };

    private static async Task<RevealedPage> PostFormAsync(WebSession web, AngleSharp.Dom.IElement form)
    {
        var response = await web.Client.SendAsync(FormRequest(form));
        return new RevealedPage(await WebSession.Page.ReadAsync(response), response.Headers.CacheControl?.ToString());
    }

    private Task<T> ScalarAsync<T>(string sql, params object[] args) => shop.Database.Sql.ScalarAsync<T>(sql, args);

    private sealed record RevealedPage(WebSession.Page Page, string? CacheControl)
    {
        public HttpStatusCode Status => Page.Status;
        public AngleSharp.Html.Dom.IHtmlDocument Document => Page.Document;
        public string Html => Page.Html;
    }

    /// <summary>A published usage tutorial for the product, as an editor would save it.</summary>
    private async Task PublishTutorialAsync(string sku)
    {
        var op = await _shop.OperatorAsync();
        await using var conn = new Npgsql.NpgsqlConnection(shop.Database.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("""
            INSERT INTO articles (id, slug, kind, title_zh, title_en, body_zh, body_en, product_sku, is_published, created_at, updated_at, updated_by_user_id)
            VALUES (gen_random_uuid(), $1, 'Tutorial', '使用教程', 'How to use it', '步骤一', 'Step one', $2, true, now(), now(), $3)
            """, conn);
        cmd.Parameters.AddWithValue("tutorial-" + sku.ToLowerInvariant());
        cmd.Parameters.AddWithValue(sku);
        cmd.Parameters.AddWithValue(op.UserId);
        await cmd.ExecuteNonQueryAsync();
    }
}
