using System.Net;
using CardMall.IntegrationTests.Support;
using CardMall.IntegrationTests.Tickets;
using CardMall.TestSupport;

namespace CardMall.IntegrationTests.Guests;

/// <summary>
/// After the purchase: a guest files and follows a ticket by the signed link in the e-mails, and a member with the
/// same confirmed e-mail claims the guest's order into the account — with proof, never by e-mail match alone.
/// </summary>
public sealed class GuestAfterSalesTests(GuestShopFixture shop) : IClassFixture<GuestShopFixture>
{
    private const string Password = "cha-xun-2026";

    private ShopFactory App => shop.Factory;

    private GuestSteps Steps => new(App);

    [Fact]
    public async Task A_guest_files_a_ticket_from_the_order_page_and_follows_it_by_the_signed_link_in_the_email()
    {
        var (sku, _) = await new TestShop(App).ProductWithKeysAsync(1);
        var email = GuestSteps.Email();
        string orderNo;
        using (var buying = new WebSession(App, "zh-CN"))
        {
            orderNo = await Steps.BuyAndPayAsync(buying, sku, email, Password);
            await Steps.DeliverNotificationsAsync();
        }
        await Steps.DispatchEmailsAsync();

        // Days later, in another browser: the paid e-mail's link, then the order page's "report a problem".
        using var web = new WebSession(App, "zh-CN");
        var order = await web.FollowAsync(await web.GetAsync(Steps.LinkIn(email)));
        var row = Assert.Single(order.Document.QuerySelectorAll("[data-testid=key-row]"));
        var report = row.QuerySelector("[data-testid=report-problem]")!.GetAttribute("href")!;
        var filed = await TicketTestKit.SubmitMultipartAsync(web, report, "form[data-testid=ticket-form]",
            [new("Input.OrderNo", orderNo), new("Input.ItemIds", row.GetAttribute("data-item-id")!), new("Input.Category", "key_invalid"),
             new("Input.Description", "充值时提示卡密无效")]);
        Assert.Equal(HttpStatusCode.Redirect, filed.Status);
        var ticketPath = filed.Location!;
        Assert.StartsWith("/Tickets/", ticketPath, StringComparison.Ordinal);

        await Steps.DispatchEmailsAsync();
        var ticketLink = Steps.LinkIn(email);
        using var later = new WebSession(App, "zh-CN");
        var opened = await later.GetAsync(ticketLink);
        Assert.Equal(ticketPath, opened.Location);
        var ticket = await later.FollowAsync(opened);
        Assert.Equal(HttpStatusCode.OK, ticket.Status);
        Assert.Contains("充值时提示卡密无效", ticket.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_member_with_the_same_confirmed_email_claims_the_order_with_its_lookup_password()
    {
        var (sku, _) = await new TestShop(App).ProductWithKeysAsync(1);
        var member = await TestAccounts.CreateAsync(App);
        using var guest = new WebSession(App, "zh-CN");
        var orderNo = await Steps.BuyAndPayAsync(guest, sku, member.Email, Password);
        await Steps.DeliverNotificationsAsync();
        await Steps.DispatchEmailsAsync();
        var guestLink = Steps.LinkIn(member.Email);

        using var web = new WebSession(App, "zh-CN");
        await web.SignInAsync(member.Email, member.Password);
        Assert.Equal(HttpStatusCode.NotFound, (await web.GetAsync($"/Orders/{orderNo}")).Status);
        var claimed = await web.SubmitAsync("/Lookup/Claim", "form[data-testid=claim-form]",
            new Dictionary<string, string> { ["Input.OrderNo"] = orderNo, ["Input.LookupPassword"] = Password });
        Assert.Equal($"/Orders/{orderNo}", claimed.Location);
        var order = await web.FollowAsync(claimed);
        Assert.Equal("已把 1 笔订单认领到你的账号。", order.Document.QuerySelector("[data-testid=claimed]")?.TextContent.Trim());
        Assert.Single(order.Document.QuerySelectorAll("[data-testid=key-row]"));
        Assert.Null(order.Document.QuerySelector("[data-testid=guest-banner]"));

        // The guest account is done: its browser, its link and the lookup no longer open the order.
        Assert.NotEqual(HttpStatusCode.OK, (await guest.GetAsync($"/Orders/{orderNo}")).Status);
        using var stranger = new WebSession(App, "zh-CN");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(guestLink)).Status);
        Assert.Empty((await GuestSteps.LookUpAsync(stranger, orderNo, Password)).Document.QuerySelectorAll("[data-testid=lookup-order]"));
    }

    [Fact]
    public async Task A_claim_is_refused_without_the_password_or_from_another_email()
    {
        var (sku, _) = await new TestShop(App).ProductWithKeysAsync(1);
        var owner = await TestAccounts.CreateAsync(App);
        var other = await TestAccounts.CreateAsync(App);
        string orderNo;
        using (var guest = new WebSession(App)) orderNo = await Steps.BuyAndPayAsync(guest, sku, owner.Email, Password);
        await Steps.DeliverNotificationsAsync();

        using var wrongEmail = new WebSession(App, "zh-CN");
        await wrongEmail.SignInAsync(other.Email, other.Password);
        var refused = await wrongEmail.SubmitAsync("/Lookup/Claim", "form[data-testid=claim-form]",
            new Dictionary<string, string> { ["Input.OrderNo"] = orderNo, ["Input.LookupPassword"] = Password });
        using var sameEmail = new WebSession(App, "zh-CN");
        await sameEmail.SignInAsync(owner.Email, owner.Password);
        var noProof = await sameEmail.SubmitAsync("/Lookup/Claim", "form[data-testid=claim-form]",
            new Dictionary<string, string> { ["Input.OrderNo"] = orderNo, ["Input.LookupPassword"] = "not-the-password" });

        foreach (var page in new[] { refused, noProof })
        {
            Assert.NotEqual(HttpStatusCode.Redirect, page.Status);
            Assert.Contains("无法认领", page.Html, StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await sameEmail.GetAsync($"/Orders/{orderNo}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await wrongEmail.GetAsync($"/Orders/{orderNo}")).Status);
        // The guest still finds it.
        using var lookup = new WebSession(App);
        Assert.Single((await GuestSteps.LookUpAsync(lookup, orderNo, Password)).Document.QuerySelectorAll("[data-testid=lookup-order]"));
    }
}
