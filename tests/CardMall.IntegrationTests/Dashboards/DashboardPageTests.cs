using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using CardMall.Application.Features.Dashboards;
using CardMall.Domain.Accounts;
using CardMall.IntegrationTests.Support;
using CardMall.IntegrationTests.Tickets;
using CardMall.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CardMall.IntegrationTests.Dashboards;

/// <summary>
/// The dashboard page as staff use it: the operators' cards, charts and tables in both languages, an agent's
/// own figures and nobody else's, buyers kept out, a bad period answered on the form, and CSV that Excel opens.
/// The figures themselves are checked against hand-computed ones in DashboardFiguresTests; here only how they show.
/// </summary>
public sealed class DashboardPageTests(DashboardPageTests.DashboardShop shop) : IClassFixture<DashboardPageTests.DashboardShop>
{
    /// <summary>
    /// The shop with a review threshold that a product with tickets reaches (its after-sales rate at least the
    /// shop's, from one ticket on), so the "flagged for review" badge can be seen on the page and in the CSV.
    /// </summary>
    public sealed class DashboardShop : ShopFixture
    {
        /// <summary>
        /// Noon in Beijing, the shop's day: the sales a test makes and the "last 30 days" it expects fall in the
        /// same day however close to Beijing midnight (16:00 UTC) the suite runs.
        /// </summary>
        public TestClock Clock { get; } = new(BeijingNoonBefore(DateTimeOffset.UtcNow));

        private static DateTimeOffset BeijingNoonBefore(DateTimeOffset now)
        {
            var noon = new DateTimeOffset(now.UtcDateTime.Date.AddHours(4), TimeSpan.Zero); // 12:00 at UTC+8
            return noon <= now ? noon : noon.AddDays(-1);
        }

        protected override ShopFactory CreateFactory(string connectionString)
        {
            var factory = new ShopFactory(connectionString) { Configure = s => s.AddSingleton<TimeProvider>(Clock) };
            factory.Settings["CardMall:Dashboards:FlagFactor"] = "1";
            factory.Settings["CardMall:Dashboards:FlagMinTickets"] = "1";
            return factory;
        }
    }

    private static readonly string[] Cards =
    [
        "orders", "revenue", "buyers", "repurchase-rate", "after-sales-rate", "complaints-per-thousand", "refunded", "refund-rate", "compensated",
        "first-response-median", "first-response-p90", "resolution-median", "resolution-p90", "first-response-sla", "resolution-sla", "breached",
        "reopen-rate", "urge-rate", "rating-average", "rating-satisfied",
    ];

    private static readonly string[] Tables = ["products", "suppliers", "categories", "agents"];

    private static readonly string[] Charts = ["orders-tickets", "first-response-sla", "categories", "satisfaction"];

    private readonly TicketTestKit _kit = new(shop);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private DashboardPeriod Last30 => DashboardPeriod.Last(30, shop.Clock.GetUtcNow());

    /// <summary>Two products sold this month, one ticket about the first: something in every table.</summary>
    private async Task<(string Sku, string OtherSku, string NameZh, string NameEn, string TicketNo)> SalesAsync()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var (nameZh, nameEn) = ($"看板点卡 {tag}", $"Dashboard card {tag}");
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(4, price: 10.00m, nameZh: nameZh, nameEn: nameEn);
        var (otherSku, _) = await _kit.Shop.ProductWithKeysAsync(4, price: 20.00m);
        var order = await _kit.BuyerWithOrderAsync(quantity: 2, sku: sku);
        await _kit.BuyAsync(order.Buyer, otherSku, 1);
        var ticketNo = await _kit.FileTicketAsync(order);
        return (sku, otherSku, nameZh, nameEn, ticketNo);
    }

    [Fact]
    public async Task An_operator_sees_the_cards_charts_and_tables_in_both_languages()
    {
        var (sku, otherSku, nameZh, nameEn, _) = await SalesAsync();
        var op = await _kit.StaffAsync(ShopRoles.Operator);

        foreach (var (language, heading, name, afterSales, previous, flagWhy) in new[]
        {
            ("zh-CN", "数据看板", nameZh, "售后率", "上期", "全店的 1 倍"),
            ("en-US", "Dashboard", nameEn, "After-sales rate", "Previous", "1× the shop's"),
        })
        {
            using var web = await _kit.SignInAsync(op, language);
            var page = await web.GetAsync("/Admin/Dashboard");
            Assert.Equal(HttpStatusCode.OK, page.Status);
            var doc = page.Document;
            Assert.Equal(heading, doc.QuerySelector("[data-testid=dashboard-heading]")!.TextContent.Trim());
            Assert.Contains("active", doc.QuerySelector("[data-testid=nav-dashboard]")!.ClassName, StringComparison.Ordinal);
            Assert.NotNull(doc.QuerySelector("form[data-testid=period-form]"));
            // Without a period in the address: the last 30 days, and the "30 days" preset is the one lit.
            Assert.Contains(Day(Last30.From), page.Html, StringComparison.Ordinal);
            Assert.Equal("true", doc.QuerySelector("[data-testid=preset-30]")!.GetAttribute("aria-current"));
            Assert.Contains(Day(Last30.From), doc.QuerySelector("[data-testid=period-shown]")!.TextContent, StringComparison.Ordinal);

            foreach (var key in Cards)
            {
                var card = doc.QuerySelector($"[data-testid=kpi-{key}]");
                Assert.True(card is not null, $"card {key} missing ({language})");
                Assert.False(string.IsNullOrWhiteSpace(card.QuerySelector("[data-testid=value]")?.TextContent), $"card {key} has no value");
                Assert.False(string.IsNullOrWhiteSpace(card.QuerySelector("[data-testid=previous]")?.TextContent), $"card {key} has no previous value");
                Assert.Contains(previous, card.TextContent, StringComparison.Ordinal);
            }
            // Nobody rated anything: no data is a dash, never 0 or NaN.
            Assert.Equal("—", doc.QuerySelector("[data-testid=kpi-rating-average] [data-testid=value]")!.TextContent.Trim());
            Assert.Equal("—", doc.QuerySelector("[data-testid=kpi-rating-average] [data-testid=change]")!.TextContent.Trim());
            Assert.DoesNotContain("NaN", page.Html, StringComparison.Ordinal);
            Assert.NotNull(doc.QuerySelector("[data-testid=kpi-backlog] [data-testid=value]"));
            Assert.Equal(4, doc.QuerySelectorAll("[data-testid=kpi-backlog] [data-testid^=backlog-]").Length);

            foreach (var table in Tables)
            {
                Assert.True(doc.QuerySelector($"table[data-testid=dashboard-{table}]") is not null, $"table {table} missing ({language})");
                var csv = doc.QuerySelector($"a[data-testid=csv-{table}]")!.GetAttribute("href")!;
                Assert.Contains($"table={table}", csv, StringComparison.Ordinal);
                Assert.Contains($"from={Day(Last30.From)}", csv, StringComparison.Ordinal);
            }
            foreach (var chart in Charts) Assert.NotNull(doc.QuerySelector($"canvas[data-testid=chart-{chart}]"));

            var products = doc.QuerySelector("table[data-testid=dashboard-products]")!;
            Assert.Contains(afterSales, products.QuerySelector("thead")!.TextContent, StringComparison.Ordinal);
            var row = products.QuerySelector($"tr[data-sku='{sku}']")!;
            Assert.Contains(name, row.TextContent, StringComparison.Ordinal);
            // Every order of this product has a ticket: at or above the shop's rate, which is the (test) threshold.
            Assert.Contains(flagWhy, row.QuerySelector("[data-testid=flagged]")!.GetAttribute("title"), StringComparison.Ordinal);
            Assert.Null(products.QuerySelector($"tr[data-sku='{otherSku}'] [data-testid=flagged]"));
            var supplier = await _kit.Shop.SupplierAsync();
            Assert.Equal($"/Admin/Suppliers/{supplier}", doc.QuerySelector($"tr[data-supplier='{supplier}'] a[data-testid=supplier-link]")!.GetAttribute("href"));
            Assert.Equal("/Admin/Risk", doc.QuerySelector("a[data-testid=risk-link]")!.GetAttribute("href"));

            // The charts' figures and words travel as JSON: one point per day, legends in the page's language.
            var charts = JsonDocument.Parse(doc.QuerySelector("script#dashboard-data")!.TextContent).RootElement;
            Assert.Equal(30, charts.GetProperty("days").GetArrayLength());
            Assert.Equal(30, charts.GetProperty("orders").GetArrayLength());
            Assert.Equal(language == "zh-CN" ? "订单" : "Orders", charts.GetProperty("text").GetProperty("orders").GetString());
        }
    }

    [Fact]
    public async Task An_agent_sees_only_their_own_figures()
    {
        var (_, _, _, _, ticketNo) = await SalesAsync();
        var other = await _kit.OrderWithTicketAsync(quantity: 1, stock: 2);
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        var colleague = await _kit.StaffAsync(ShopRoles.Agent);
        await _kit.ExecuteAsync("UPDATE tickets SET assignee_id = $1 WHERE no = $2", agent.UserId, ticketNo);
        await _kit.ExecuteAsync("UPDATE tickets SET assignee_id = $1 WHERE no = $2", colleague.UserId, other.TicketNo);

        using var web = await _kit.SignInAsync(agent, "zh-CN");
        var page = await web.GetAsync("/Admin/Dashboard");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var doc = page.Document;
        Assert.Equal("我的表现", doc.QuerySelector("[data-testid=dashboard-heading]")!.TextContent.Trim());
        Assert.NotNull(doc.QuerySelector("[data-testid=nav-dashboard]"));
        Assert.NotNull(doc.QuerySelector("form[data-testid=period-form]"));
        var mine = doc.QuerySelector("[data-testid=my-performance]")!;
        Assert.Equal("1", mine.QuerySelector("[data-testid=kpi-handled] [data-testid=value]")!.TextContent.Trim());
        foreach (var key in new[] { "first-response-median", "resolution-median", "rated", "rating-average", "refunds-issued" })
            Assert.NotNull(mine.QuerySelector($"[data-testid=kpi-{key}] [data-testid=previous]"));
        // Nothing shop-wide and nobody else.
        foreach (var key in new[] { "orders", "revenue", "after-sales-rate", "backlog" }) Assert.Null(doc.QuerySelector($"[data-testid=kpi-{key}]"));
        foreach (var table in Tables) Assert.Null(doc.QuerySelector($"[data-testid=dashboard-{table}]"));
        Assert.Null(doc.QuerySelector("script#dashboard-data"));
        Assert.DoesNotContain(colleague.Account.Email, page.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("csv-", page.Html, StringComparison.Ordinal);

        // The shop's tables are not theirs to download either.
        var csv = await web.Client.GetAsync("/Admin/Dashboard?handler=Csv&table=agents");
        Assert.Equal(HttpStatusCode.Redirect, csv.StatusCode);
        Assert.Contains("/Account/AccessDenied", csv.Headers.Location!.OriginalString, StringComparison.Ordinal);

        // The operators' agent table has both of them.
        using var opWeb = await _kit.SignInAsync(await _kit.StaffAsync(ShopRoles.Operator), "en-US");
        var agents = (await opWeb.GetAsync("/Admin/Dashboard")).Document.QuerySelector("table[data-testid=dashboard-agents]")!;
        Assert.NotNull(agents.QuerySelector($"tr[data-agent='{agent.UserId}']"));
        Assert.NotNull(agents.QuerySelector($"tr[data-agent='{colleague.UserId}']"));
    }

    [Fact]
    public async Task A_buyer_is_refused()
    {
        var buyer = await _kit.BuyerAsync(0m);
        using var web = await _kit.SignInAsync(buyer, "zh-CN");
        foreach (var url in new[] { "/Admin/Dashboard", "/Admin/Dashboard?handler=Csv&table=products" })
        {
            var refused = await web.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, refused.Status);
            Assert.Contains("/Account/AccessDenied", refused.Location, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Forbidden, (await web.FollowAsync(refused)).Status);
        }
        // And the sidebar link is not shown to somebody who is not staff (there is no sidebar for them at all).
        Assert.DoesNotContain("nav-dashboard", (await web.GetAsync("/")).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_period_is_an_error_on_the_form_not_a_500()
    {
        var op = await _kit.StaffAsync(ShopRoles.Operator);
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        using var web = await _kit.SignInAsync(op, "en-US");
        using var agentWeb = await _kit.SignInAsync(agent, "zh-CN");

        foreach (var (query, field) in new[]
        {
            ("from=2026-13-45", "From"),                  // not a date
            ("from=yesterday&to=today", "From"),
            ("from=2026-11-22&to=2026-11-01", "To"),      // reversed
            ("from=2020-01-01&to=2026-01-01", "To"),      // longer than the longest period
            ("from=0001-01-01&to=0001-01-05", "From"),    // a date with no previous period
            ("from=9999-12-20&to=9999-12-31", "From"),
        })
        {
            foreach (var (session, who) in new[] { (web, "operator"), (agentWeb, "agent") })
            {
                var page = await session.GetAsync("/Admin/Dashboard?" + query);
                Assert.True(page.Status == HttpStatusCode.OK, $"{who} ?{query}: {(int)page.Status}");
                Assert.True(page.FieldErrors(field).Count > 0, $"{who} ?{query}: no error under {field}");
                Assert.NotNull(page.Document.QuerySelector("form[data-testid=period-form] [data-testid=period-errors]"));
                Assert.Null(page.Document.QuerySelector("[data-testid=kpi-orders]"));
                Assert.Null(page.Document.QuerySelector("[data-testid=period-shown]"));
            }
            var csv = await web.GetAsync("/Admin/Dashboard?handler=Csv&table=products&" + query);
            Assert.True(csv.Status == HttpStatusCode.OK && csv.FieldErrors(field).Count > 0, $"csv ?{query}: {(int)csv.Status}");
        }
        Assert.Contains("end date", (await web.GetAsync("/Admin/Dashboard?from=2026-11-22&to=2026-11-01")).FieldErrors("To")[0], StringComparison.OrdinalIgnoreCase);
        // A period that is fine still works after all that, and an unknown table is simply not there.
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync("/Admin/Dashboard?from=2026-01-01&to=2026-12-31")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await web.GetAsync("/Admin/Dashboard?handler=Csv&table=secrets")).Status);
    }

    [Fact]
    public async Task The_csv_opens_in_excel_with_translated_headers_and_a_row_per_product()
    {
        var (sku, otherSku, nameZh, nameEn, _) = await SalesAsync();
        var op = await _kit.StaffAsync(ShopRoles.Operator);
        var period = Last30;
        var range = $"from={Day(period.From)}&to={Day(period.To)}";

        foreach (var (language, header, name, flagged) in new[] { ("zh-CN", "售后率（%）", nameZh, "是"), ("en-US", "After-sales rate (%)", nameEn, "yes") })
        {
            using var web = await _kit.SignInAsync(op, language);
            var page = await web.GetAsync("/Admin/Dashboard?" + range);
            var link = page.Document.QuerySelector("a[data-testid=csv-products]")!.GetAttribute("href")!;
            var shownRows = page.Document.QuerySelectorAll("table[data-testid=dashboard-products] tr[data-sku]").Length;

            var response = await web.Client.GetAsync(link);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
            Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
            Assert.Equal($"cardmall-products-{Day(period.From)}_{Day(period.To)}.csv", response.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.True(bytes.Length > 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF, "no UTF-8 byte order mark");

            var lines = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains(header, lines[0].Split(','));
            // Tests in this class share a database: other tests' products are in the period too, so compare with the page.
            Assert.True(shownRows >= 2);
            Assert.Equal(shownRows, lines.Length - 1);
            var row = lines.Single(l => l.StartsWith(sku + ",", StringComparison.Ordinal)).Split(',');
            Assert.Equal(name, row[1]);
            Assert.Equal("1", row[2]);           // orders (one order of two keys): a raw number, no unit
            Assert.Equal("20.00", row[3]);       // revenue: invariant digits, no ¥
            Assert.Equal("100.0", row[5]);       // after-sales rate in per cent, one decimal, as the header says
            Assert.Equal(flagged, row[7]);
            Assert.Contains(lines, l => l.StartsWith(otherSku + ",", StringComparison.Ordinal));

            // The other tables download the same way; the daily one has a line per day.
            foreach (var table in new[] { "suppliers", "categories", "agents", "daily" })
            {
                var other = await web.Client.GetAsync($"/Admin/Dashboard?handler=Csv&table={table}&{range}");
                Assert.Equal(HttpStatusCode.OK, other.StatusCode);
                var content = await other.Content.ReadAsByteArrayAsync();
                Assert.True(content[0] == 0xEF && content[1] == 0xBB && content[2] == 0xBF, $"{table}: no byte order mark");
                if (table == "daily")
                    Assert.Equal(period.Days + 1, Encoding.UTF8.GetString(content, 3, content.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
            }
        }
    }
}
