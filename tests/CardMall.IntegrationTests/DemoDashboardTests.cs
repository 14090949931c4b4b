using System.Net.Http.Json;
using System.Text.Json;
using CardMall.IntegrationTests.Support;
using Npgsql;

namespace CardMall.IntegrationTests;

/// <summary>
/// The demo shop's dashboard as an operator opens it (the last 30 days against the 30 before): an ordinary
/// shop's volume under the demo stories, an after-sales rate that means something, charts with something on
/// most days, a product and a supplier worth a look, satisfaction and SLA figures — and under them, orders paid
/// from topped-up wallets with keys sold once each.
/// </summary>
public sealed class DemoDashboardTests(DemoDeskFixture shop) : IClassFixture<DemoDeskFixture>
{
    private const string AdminKey = "cm_demo-tickets-test-key-0123456789abcdef";

    [Fact]
    public async Task The_last_30_days_show_hundreds_of_orders_a_plausible_after_sales_rate_and_a_full_previous_period()
    {
        var d = await DashboardAsync();
        var current = d.GetProperty("current");
        var previous = d.GetProperty("previous");

        foreach (var period in new[] { current, previous })
        {
            Assert.InRange(Int(period, "orders"), 200, 2000);
            Assert.InRange(Dbl(period, "afterSalesRate"), 0.01, 0.15);
            Assert.True(Int(period, "tickets") >= 5, $"{Int(period, "tickets")} tickets");
            // Some customers came back, most tickets were answered in time but not all, and a few were refunded.
            Assert.InRange(Int(period, "repeatBuyers"), 1, Int(period, "buyers") - 1);
            Assert.InRange(Dbl(period, "firstResponseCompliance"), 0.5, 0.99);
            Assert.True(period.GetProperty("refunded").GetDecimal() > 0);
            // Satisfaction: mostly good, never perfect.
            Assert.True(Int(period, "rated") >= 3, $"{Int(period, "rated")} ratings");
            Assert.InRange(Dbl(period, "averageRating"), 3.0, 4.9);
        }
        Assert.True(Int(current, "buyers") >= 30, $"{Int(current, "buyers")} buyers");
        Assert.True(Int(current, "breached") >= 1);
        Assert.True(Int(current, "urged") >= 1);
        Assert.InRange(Dbl(current, "satisfiedShare"), 0.4, 0.99);
    }

    [Fact]
    public async Task The_charts_have_orders_on_most_days_and_the_tables_name_agents_categories_and_what_to_review()
    {
        var d = await DashboardAsync();

        var daily = d.GetProperty("daily").EnumerateArray().ToList();
        Assert.Equal(30, daily.Count);
        Assert.True(daily.Count(x => Int(x, "orders") > 0) >= 25, "orders on fewer than 25 of 30 days");
        Assert.True(daily.Count(x => Int(x, "tickets") > 0) >= 12, "tickets on fewer than 12 of 30 days");
        Assert.True(daily.Count(x => Int(x, "rated") > 0) >= 5, "ratings on fewer than 5 of 30 days");

        Assert.True(d.GetProperty("categories").EnumerateArray().Count(c => Int(c, "tickets") > 0) >= 6);
        Assert.True(d.GetProperty("agents").EnumerateArray().Count(a => Int(a, "handled") > 0) >= 3);

        // Something stands out: flagged as the dashboard's rule says (at least 3 tickets, at least twice the shop's rate),
        // while most of the catalogue does not.
        var shopRate = Dbl(d.GetProperty("current"), "afterSalesRate");
        var factor = d.GetProperty("flagFactor").GetDouble();
        var products = d.GetProperty("products").EnumerateArray().ToList();
        var suppliers = d.GetProperty("suppliers").EnumerateArray().ToList();
        var flagged = products.Concat(suppliers).Where(x => x.GetProperty("flagged").GetBoolean()).ToList();
        Assert.NotEmpty(flagged);
        Assert.All(flagged, x => Assert.True(Int(x, "tickets") >= 3 && Dbl(x, "afterSalesRate") >= shopRate * factor));
        Assert.Contains(products, p => p.GetProperty("flagged").GetBoolean());
        Assert.Contains(suppliers, s => s.GetProperty("flagged").GetBoolean());
        Assert.True(products.Count(p => !p.GetProperty("flagged").GetBoolean() && Int(p, "orders") > 0) >= 5);
    }

    [Fact]
    public async Task Every_order_was_paid_from_a_topped_up_wallet_and_every_sold_key_belongs_to_the_one_item_that_sold_it()
    {
        // Each order has its purchase line; each top-up line its paid top-up; no wallet ever went below zero.
        Assert.Equal(0L, await ScalarAsync<long>("""
            SELECT count(*) FROM orders o
            WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e
                              WHERE e.user_id = o.user_id AND e.kind = 'Purchase' AND e.reference = o.no AND e.amount = -o.total AND e.at = o.created_at)
            """));
        Assert.Equal(0L, await ScalarAsync<long>("""
            SELECT count(*) FROM ledger_entries e
            WHERE e.kind = 'TopUp' AND NOT EXISTS (SELECT 1 FROM top_ups t
                                                   WHERE t.no = e.reference AND t.user_id = e.user_id AND t.status = 'Paid' AND t.amount = e.amount)
            """));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM ledger_entries WHERE balance_after < 0"));
        Assert.True(await ScalarAsync<long>("SELECT count(DISTINCT user_id) FROM top_ups") >= 40);

        // A sold key was sold once, to an item of the order it names; nothing was sold before its batch arrived.
        Assert.Equal(0L, await ScalarAsync<long>("""
            SELECT count(*) FROM card_keys k
            WHERE k.order_id IS NOT NULL
              AND (NOT EXISTS (SELECT 1 FROM order_items i WHERE i.card_key_id = k.id AND i.order_id = k.order_id)
                   OR (SELECT count(*) FROM card_key_events e WHERE e.card_key_id = k.id AND e.kind = 'Sold') <> 1)
            """));
        Assert.Equal(0L, await ScalarAsync<long>("""
            SELECT count(*) FROM card_keys k JOIN key_batches b ON b.id = k.batch_id WHERE k.sold_at < b.imported_at OR k.created_at < b.imported_at
            """));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM orders o WHERE o.quantity <> (SELECT count(*) FROM order_items i WHERE i.order_id = o.id AND i.replaces_item_id IS NULL)"));
    }

    /// <summary>The dashboard's default period, as the operators' API gives it (the demo's admin key).</summary>
    private async Task<JsonElement> DashboardAsync()
    {
        var api = shop.Factory.ApiClient(AdminKey);
        return await api.GetFromJsonAsync<JsonElement>("/api/v1/admin/dashboard");
    }

    private static int Int(JsonElement e, string name) => e.GetProperty(name).GetInt32();

    private static double Dbl(JsonElement e, string name) =>
        e.GetProperty(name).ValueKind == JsonValueKind.Number ? e.GetProperty(name).GetDouble() : throw new Xunit.Sdk.XunitException($"{name} is {e.GetProperty(name)}");

    private Task<T> ScalarAsync<T>(string sql) => shop.Database.Sql.ScalarAsync<T>(sql);
}
