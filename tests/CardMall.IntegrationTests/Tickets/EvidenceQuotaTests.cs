using System.Net;
using CardMall.Application.Features.Tickets;
using CardMall.Domain.Tickets;
using CardMall.IntegrationTests.Support;
using FluentValidation;

namespace CardMall.IntegrationTests.Tickets;

/// <summary>A small evidence quota so a test can reach it: 6 images or 60 kB per buyer in 24 hours.</summary>
public sealed class EvidenceQuotaShop : TicketShop
{
    protected override void AddSettings(IDictionary<string, string?> settings)
    {
        settings["CardMall:AfterSales:EvidenceImagesPerDay"] = "6";
        settings["CardMall:AfterSales:EvidenceBytesPerDay"] = "60000";
    }
}

/// <summary>
/// Issue 14, item 16: one buyer's evidence images are limited per 24 hours in number and in bytes, across
/// tickets and replies. Beyond it the ticket or reply is refused whole with a clear form error — no ticket, no
/// message, no image written — other buyers are not affected, and a day later there is room again.
/// </summary>
public sealed class EvidenceQuotaTests(EvidenceQuotaShop shop) : IClassFixture<EvidenceQuotaShop>
{
    private readonly TicketTestKit _kit = new(shop) { Culture = "zh-CN" };

    [Fact]
    public async Task Images_beyond_the_daily_count_are_refused_whole_on_the_form_and_in_a_reply()
    {
        var order = await _kit.BuyerWithOrderAsync(3);
        var ticketNo = (await _kit.SendAsync(order.Buyer, new CreateTicket(order.OrderNo, [order.ItemIds[0]], TicketCategory.KeyInvalid, "无效",
            null, Images(5, 1000)))).TicketNo;
        await _kit.SendAsync(order.Buyer, new ReplyToTicket(ticketNo, "再补一张", Images(1, 1000)));
        var before = await _kit.TicketRowsAsync();

        // The seventh image, in a reply: refused, nothing written.
        var reply = Assert.IsType<ValidationException>(await _kit.RefusalAsync(order.Buyer, new ReplyToTicket(ticketNo, "还有一张", Images(1, 1000))));
        Assert.Contains("24 小时内最多可以上传 6 张", Assert.Single(reply.Errors, e => e.PropertyName == "Evidence").ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(before, await _kit.TicketRowsAsync());

        // On the new-ticket form: the form comes back with the error under the images, and no ticket is filed.
        using var web = await _kit.SignInAsync(order.Buyer, "zh-CN");
        var page = await TicketTestKit.SubmitMultipartAsync(web, $"/Tickets/New?order={order.OrderNo}", "form[data-testid=ticket-form]",
            [new("Input.OrderNo", order.OrderNo), new("Input.ItemIds", order.ItemIds[1].ToString()), new("Input.Category", "key_invalid"),
             new("Input.Description", "另一张也不行")],
            [("Input.Images", "more.png", "image/png", TicketTestKit.Png(1000))]);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("24 小时内最多可以上传 6 张", Assert.Single(page.Document.QuerySelectorAll("[data-testid=image-error]")).TextContent, StringComparison.Ordinal);
        Assert.Equal(before, await _kit.TicketRowsAsync());

        // Without images the buyer can still file and reply.
        await _kit.SendAsync(order.Buyer, new ReplyToTicket(ticketNo, "没有图片也可以说明", []));
        // Another buyer has a quota of their own.
        var other = await _kit.BuyerWithOrderAsync(1);
        await _kit.SendAsync(other.Buyer, new CreateTicket(other.OrderNo, [other.ItemIds[0]], TicketCategory.KeyInvalid, "无效", null, Images(5, 1000)));

        // A day later there is room again.
        _kit.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));
        await _kit.SendAsync(order.Buyer, new ReplyToTicket(ticketNo, "第二天补充", Images(1, 1000)));
        Assert.Equal(7L, await _kit.CountAsync("SELECT count(*) FROM ticket_attachments WHERE uploaded_by = $1", order.Buyer.UserId));
    }

    [Fact]
    public async Task Images_beyond_the_daily_bytes_are_refused_whole()
    {
        var order = await _kit.BuyerWithOrderAsync(2);
        await _kit.SendAsync(order.Buyer, new CreateTicket(order.OrderNo, [order.ItemIds[0]], TicketCategory.KeyInvalid, "无效", null, Images(2, 25_000)));
        var before = await _kit.TicketRowsAsync();

        var refused = Assert.IsType<ValidationException>(await _kit.RefusalAsync(order.Buyer,
            new CreateTicket(order.OrderNo, [order.ItemIds[1]], TicketCategory.KeyInvalid, "也无效", null, Images(1, 25_000))));

        Assert.Contains("MB", Assert.Single(refused.Errors, e => e.PropertyName == "Evidence").ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(before, await _kit.TicketRowsAsync());
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM tickets WHERE buyer_id = $1", order.Buyer.UserId));
    }

    private static List<EvidenceUpload> Images(int count, int size) =>
        Enumerable.Range(1, count).Select(i => new EvidenceUpload($"proof{i}.png", TicketTestKit.Png(size))).ToList();
}
