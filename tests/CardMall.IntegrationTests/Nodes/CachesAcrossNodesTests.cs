using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CardMall.Domain.Accounts;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using CardMall.Web.Hosting;
using CardMall.Web.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace CardMall.IntegrationTests.Nodes;

/// <summary>
/// What one node changes, every node forgets (docs/decisions/0041): the shelves, the stored catalogue answers and the
/// remembered sign-ins are kept here for ten minutes, so only the news through Redis can explain a change seen on the
/// other node. With Redis stopped both nodes keep serving; the node that made a change sees it, the other once Redis is
/// back (it forgets everything it kept, having missed the news).
/// </summary>
public sealed class CachesAcrossNodesTests(CachesAcrossNodesTests.TwoNodes shop) : IClassFixture<CachesAcrossNodesTests.TwoNodes>
{
    [Fact]
    public async Task A_price_change_and_taking_a_product_off_sale_on_node_A_show_on_node_B_at_once()
    {
        await shop.BothListeningAsync();
        var (sku, buyer) = await ProductAndBuyerAsync();
        var onB = shop.NodeB.ApiClient(buyer.ApiKey);
        using var anonymousOnB = new WebSession(shop.NodeB);
        Assert.Equal(10.00m, await PriceAsync(onB, sku));
        Assert.Contains("10.00", await PagePriceAsync(anonymousOnB, sku), StringComparison.Ordinal);

        await EditOnAAsync(sku, price: "12.50", active: "true");

        await Eventually(async () => await PriceAsync(onB, sku) == 12.50m);
        Assert.Contains("12.50", await PagePriceAsync(anonymousOnB, sku), StringComparison.Ordinal);

        await EditOnAAsync(sku, price: "12.50", active: "false");

        await Eventually(async () => (await onB.GetAsync($"/api/v1/products/{sku}")).StatusCode == HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymousOnB.GetAsync($"/Products/{sku}")).Status);
    }

    [Fact]
    public async Task Revoked_keys_and_a_disabled_account_on_node_A_are_refused_on_node_B_at_once()
    {
        await shop.BothListeningAsync();
        var admin = await TestAccounts.CreateAsync(shop.Factory, ShopRoles.Admin);
        var reseller = await TestAccounts.CreateAsync(shop.Factory, ShopRoles.Reseller, MemberTier.Reseller);
        var buyer = await TestAccounts.CreateAsync(shop.Factory);
        var resellerOnB = shop.NodeB.ApiClient(reseller.ApiKey);
        var buyerOnB = shop.NodeB.ApiClient(buyer.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await resellerOnB.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await buyerOnB.GetAsync("/api/v1/me")).StatusCode);

        var adminOnA = shop.Factory.ApiClient(admin.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await adminOnA.DeleteAsync($"/api/v1/admin/users/{reseller.UserId}/api-keys")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await adminOnA.PostAsync($"/api/v1/admin/users/{buyer.UserId}/disable", null)).StatusCode);

        await Eventually(async () => (await resellerOnB.GetAsync("/api/v1/me")).StatusCode == HttpStatusCode.Unauthorized);
        await Eventually(async () => (await buyerOnB.GetAsync("/api/v1/me")).StatusCode == HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task With_redis_stopped_both_nodes_serve_a_change_shows_where_it_was_made_and_the_other_node_forgets_when_redis_is_back()
    {
        await shop.BothListeningAsync();
        var (sku, buyer) = await ProductAndBuyerAsync();
        var onA = shop.Factory.ApiClient(buyer.ApiKey);
        var onB = shop.NodeB.ApiClient(buyer.ApiKey);
        Assert.Equal(10.00m, await PriceAsync(onB, sku));

        shop.Redis.Stop();
        try
        {
            foreach (var node in new[] { shop.Factory, shop.NodeB })
            {
                using var anonymous = new WebSession(node);
                Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/")).Status);
                Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/Products/{sku}")).Status);
                Assert.Equal(HttpStatusCode.OK, (await node.ApiClient(buyer.ApiKey).GetAsync("/api/v1/products")).StatusCode);
            }

            // News of the product's creation may still have been on its way to B when Redis stopped (B would then have
            // forgotten its copy again); none can come now, so what B serves from here on is what it keeps.
            Assert.Equal(10.00m, await PriceAsync(onB, sku));

            await EditOnAAsync(sku, price: "12.50", active: "true");

            Assert.Equal(12.50m, await PriceAsync(onA, sku));
            using var anonymousOnA = new WebSession(shop.Factory);
            Assert.Contains("12.50", await PagePriceAsync(anonymousOnA, sku), StringComparison.Ordinal);
            // Node B was not told: it serves what it kept (for its age, ten minutes here).
            Assert.Equal(10.00m, await PriceAsync(onB, sku));
        }
        finally
        {
            shop.Redis.Start();
        }

        await shop.BothListeningAsync();
        await Eventually(async () => await PriceAsync(onB, sku) == 12.50m);
    }

    private async Task<(string Sku, TestAccount Buyer)> ProductAndBuyerAsync()
    {
        var (sku, _) = await new TestShop(shop.Factory).ProductWithKeysAsync(2, price: 10.00m);
        return (sku, await TestAccounts.CreateAsync(shop.Factory));
    }

    private async Task EditOnAAsync(string sku, string price, string active)
    {
        shop.Operator ??= await TestAccounts.CreateAsync(shop.Factory, ShopRoles.Operator);
        using var web = new WebSession(shop.Factory);
        await web.SignInAsync(shop.Operator.Email, shop.Operator.Password);
        var saved = await web.SubmitAsync($"/Admin/Products/Edit/{sku}", "form[data-testid=product-form]",
            ProductForm.Fields(sku, regions: "中国大陆", price: price, active: active));
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
    }

    private static async Task<decimal> PriceAsync(HttpClient api, string sku) =>
        (await api.GetFromJsonAsync<JsonElement>($"/api/v1/products/{sku}")).GetProperty("price").GetDecimal();

    private static async Task<string> PagePriceAsync(WebSession web, string sku)
    {
        var page = await web.GetAsync($"/Products/{sku}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        return page.Document.QuerySelector("[data-testid=price]")?.TextContent ?? "";
    }

    /// <summary>
    /// The news crosses Redis to the other node while the test's next request is on its way: the change must show within
    /// moments (here at most 5 s), against the ten minutes the other node would otherwise keep its copy.
    /// </summary>
    private static async Task Eventually(Func<Task<bool>> seen)
    {
        for (var i = 0; i < 50; i++)
        {
            if (await seen()) return;
            await Task.Delay(100);
        }
        Assert.True(await seen(), "the other node still serves what it kept before the change");
    }

    /// <summary>Two nodes and a Redis (<see cref="TwoNodesWithRedis"/>), keeping everything for ten minutes.</summary>
    public sealed class TwoNodes : TwoNodesWithRedis
    {
        private const string KeptFor = "00:10:00";

        public TestAccount? Operator { get; set; }

        protected override string ChannelPrefix => "cardmall-caches";

        protected override ShopFactory NewNode(string connectionString)
        {
            var factory = new ShopFactory(connectionString)
            {
                Configure = services => services.AddSingleton(new RememberedSignIns(TimeSpan.FromMinutes(10))),
            };
            factory.Settings["CardMall:Catalogue:ShelvesMaxAge"] = KeptFor;
            factory.Settings["CardMall:Catalogue:PageCacheDuration"] = KeptFor;
            factory.Settings["CardMall:Catalogue:AccountMaxAge"] = KeptFor;
            return factory;
        }

        /// <summary>Waits until both nodes hear each other through Redis (at start, and after Redis came back).</summary>
        public Task BothListeningAsync() =>
            BothAsync(n => n.Services.GetRequiredService<EveryNode>().Listening, "a node does not hear the others through Redis");
    }
}
