using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CardMall.IntegrationTests.Support;
using CardMall.IntegrationTests.Tickets;
using CardMall.Web.Verification;

namespace CardMall.IntegrationTests.Risk;

/// <summary>The shop with incident detection at its defaults (three buyers, 24 hours); the assistant runs its own checks.</summary>
public sealed class IncidentFreezeShop : TicketShop
{
    protected override void AddSettings(IDictionary<string, string?> settings) => settings[VerificationWorker.EnabledSetting] = "false";
}

/// <summary>
/// One buyer cannot freeze a batch (issue 14, item 6): saying "卡密无效" to the assistant again and again about
/// one key joins the open ticket instead of filing new ones, and one buyer complaining about many keys of a
/// batch is that buyer's case — the batch keeps selling. Complaints from three different buyers about three
/// different keys still open an incident.
/// </summary>
public sealed class IncidentFreezeTests(IncidentFreezeShop shop) : IClassFixture<IncidentFreezeShop>
{
    private readonly TicketTestKit _kit = new(shop);

    [Fact]
    public async Task Three_assistant_messages_about_one_key_make_one_ticket_and_leave_the_batch_on_sale()
    {
        var (sku, batchId) = await BatchAsync(keys: 10);
        var order = await _kit.BuyerWithOrderAsync(1, sku: sku);

        var first = await AskAsync(order.Buyer, "卡密无效，兑换不了");
        var second = await AskAsync(order.Buyer, "卡密无效，兑换不了");
        var third = await AskAsync(order.Buyer, "the code doesnt work it says invalid", first.GetProperty("conversationId").GetGuid());

        var ticketNo = first.GetProperty("ticketNo").GetString()!;
        Assert.Equal(ticketNo, second.GetProperty("ticketNo").GetString());
        Assert.Equal(ticketNo, third.GetProperty("ticketNo").GetString());
        Assert.Contains(ticketNo, third.GetProperty("reply").GetString()!, StringComparison.Ordinal);
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM tickets WHERE buyer_id = $1", order.Buyer.UserId));
        // The later messages are on that ticket, for the agent.
        Assert.Equal(1L, await _kit.CountAsync(
            "SELECT count(*) FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.no = $1 AND strpos(m.body, 'the code doesnt work') > 0", ticketNo));

        Assert.Equal(0L, await _kit.CountAsync("SELECT count(*) FROM incidents WHERE batch_id = $1", batchId));
        Assert.Equal(9L, await _kit.CountAsync("SELECT count(*) FROM card_keys WHERE batch_id = $1 AND state = 'Available'", batchId));
        // Another buyer can still buy from the batch.
        await _kit.BuyAsync(await _kit.BuyerAsync(10.00m), sku, 1);
    }

    [Fact]
    public async Task One_buyer_complaining_about_many_keys_never_freezes_the_batch_but_three_buyers_still_do()
    {
        var (sku, batchId) = await BatchAsync(keys: 12);
        var reseller = await _kit.BuyAsync(await _kit.BuyerAsync(100.00m), sku, 5);

        // One ticket per key, all five within the hour, through the API.
        foreach (var item in reseller.ItemIds) await _kit.FileAsync(reseller, items: [item]);

        Assert.Equal(5L, await _kit.CountAsync("SELECT count(*) FROM tickets WHERE buyer_id = $1", reseller.Buyer.UserId));
        Assert.Equal(0L, await _kit.CountAsync("SELECT count(*) FROM incidents WHERE batch_id = $1", batchId));
        Assert.Equal(7L, await _kit.CountAsync("SELECT count(*) FROM card_keys WHERE batch_id = $1 AND state = 'Available'", batchId));

        // A second buyer is not enough either.
        var second = await _kit.BuyerWithOrderAsync(1, sku: sku);
        await _kit.FileAsync(second);
        Assert.Equal(0L, await _kit.CountAsync("SELECT count(*) FROM incidents WHERE batch_id = $1", batchId));

        // The real signal: a third buyer with a third key of the batch.
        var third = await _kit.BuyerWithOrderAsync(1, sku: sku);
        await _kit.FileAsync(third);

        Assert.Equal("complaints_in_window:3:24", await _kit.ScalarAsync<string>("SELECT reason FROM incidents WHERE batch_id = $1", batchId));
        Assert.Equal(5L, await _kit.CountAsync("SELECT count(*) FROM card_keys WHERE batch_id = $1 AND state = 'Frozen'", batchId));
        Assert.Equal(7L, await _kit.CountAsync("SELECT count(*) FROM incident_tickets l JOIN incidents i ON i.id = l.incident_id WHERE i.batch_id = $1", batchId));
    }

    [Fact]
    public async Task Three_buyers_complaining_through_the_assistant_open_an_incident()
    {
        var (sku, batchId) = await BatchAsync(keys: 10);
        foreach (var n in Enumerable.Range(0, 3))
        {
            var order = await _kit.BuyerWithOrderAsync(1, sku: sku);
            var reply = await AskAsync(order.Buyer, "卡密无效，兑换不了");
            Assert.StartsWith("TK", reply.GetProperty("ticketNo").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM incidents WHERE batch_id = $1", batchId));
        Assert.Equal(0L, await _kit.CountAsync("SELECT count(*) FROM card_keys WHERE batch_id = $1 AND state = 'Available'", batchId));
    }

    private async Task<(string Sku, Guid BatchId)> BatchAsync(int keys)
    {
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(keys, price: 10.00m, maxPerOrder: 10);
        return (sku, await _kit.ScalarAsync<Guid>("SELECT b.id FROM key_batches b JOIN products p ON p.id = b.product_id WHERE p.sku = $1", sku));
    }

    private async Task<JsonElement> AskAsync(Actor buyer, string text, Guid? conversationId = null)
    {
        var response = await shop.Factory.ApiClient(buyer.Account.ApiKey).PostAsJsonAsync("/api/v1/assistant/messages", new { text, conversationId });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
