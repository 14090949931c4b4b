using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CardMall.Domain.Accounts;
using CardMall.IntegrationTests.Support;
using CardMall.Web.Verification;

namespace CardMall.IntegrationTests.Tickets;

/// <summary>The shop for the mask test: the assistant runs its checks itself.</summary>
public sealed class KeyMaskShop : TicketShop
{
    protected override void AddSettings(IDictionary<string, string?> settings) => settings[VerificationWorker.EnabledSetting] = "false";
}

/// <summary>
/// Issue 14, item 13: wherever a key is shown masked — the assistant's answer and the transcript it puts on the
/// ticket, the verification's internal note, the agent's ticket page and the buyer's — no run of five or more of
/// its characters appears: at most the last four.
/// </summary>
public sealed class KeyMaskTests(KeyMaskShop shop) : IClassFixture<KeyMaskShop>
{
    private readonly TicketTestKit _kit = new(shop) { Culture = "zh-CN" };

    [Fact]
    public async Task Masks_in_the_assistant_its_transcript_ticket_notes_and_staff_pages_show_at_most_the_last_four_characters()
    {
        var order = await _kit.BuyerWithOrderAsync(1);
        var code = order.Codes[0];
        // Redeemed at the supplier after our sale: a person must look, so the check writes its facts note with the mask.
        var op = await _kit.Shop.OperatorAsync();
        Assert.Equal(HttpStatusCode.OK, (await _kit.App.ApiClient(op.ApiKey).PutAsJsonAsync("/api/v1/admin/sandbox-supplier/keys",
            new { code, answer = "redeemed" })).StatusCode);

        var lookup = await AskAsync(order.Buyer, "我的卡密在哪里看");
        var complaint = await AskAsync(order.Buyer, "卡密无效，兑换不了", lookup.GetProperty("conversationId").GetGuid());
        var ticketNo = complaint.GetProperty("ticketNo").GetString()!;

        var shown = new List<(string Where, string Text)>
        {
            ("assistant", lookup.GetProperty("reply").GetString()!),
            ("assistant", complaint.GetProperty("reply").GetString()!),
        };
        Assert.Contains("****" + code[^4..], shown[0].Text, StringComparison.Ordinal);
        await using (var conn = await _kit.OpenAsync())
        {
            await using var cmd = new Npgsql.NpgsqlCommand(
                "SELECT m.body, m.is_internal FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.no = $1", conn);
            cmd.Parameters.AddWithValue(ticketNo);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) shown.Add((reader.GetBoolean(1) ? "internal note" : "ticket message", reader.GetString(0)));
        }
        Assert.Contains(shown, s => s.Where == "internal note" && s.Text.Contains("****" + code[^4..], StringComparison.Ordinal));
        Assert.Contains(shown, s => s.Where == "ticket message" && s.Text.Contains("****" + code[^4..], StringComparison.Ordinal));

        var supervisor = await _kit.StaffAsync(ShopRoles.Supervisor);
        using (var staff = await _kit.SignInAsync(supervisor, "zh-CN"))
        {
            var page = await staff.GetAsync("/Admin/Tickets/" + ticketNo);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.Contains("****" + code[^4..], page.Html, StringComparison.Ordinal);
            shown.Add(("staff ticket page", page.Html));
        }
        using (var buyer = await _kit.SignInAsync(order.Buyer, "zh-CN"))
            shown.Add(("buyer ticket page", (await buyer.GetAsync("/Tickets/" + ticketNo)).Html));

        foreach (var (where, text) in shown)
            for (var start = 0; start + 5 <= code.Length; start++)
                Assert.False(text.Contains(code.Substring(start, 5), StringComparison.OrdinalIgnoreCase), $"{where} shows '{code.Substring(start, 5)}' of the key");
    }

    private async Task<JsonElement> AskAsync(Actor buyer, string text, Guid? conversationId = null)
    {
        var response = await shop.Factory.ApiClient(buyer.Account.ApiKey).PostAsJsonAsync("/api/v1/assistant/messages", new { text, conversationId });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
