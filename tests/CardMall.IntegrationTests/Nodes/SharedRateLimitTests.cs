using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using CardMall.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CardMall.IntegrationTests.Nodes;

/// <summary>
/// Two web nodes behind one balancer count one limit together through Redis: a flood spread over both is refused at
/// the limit, not at twice it. When Redis goes away, the shop keeps serving and each node counts alone again — a
/// limit per node, never a 500 or a 429 for everyone — and counts together again once Redis is back.
/// </summary>
public sealed class SharedRateLimitTests(SharedRateLimitTests.TwoNodes shop) : IClassFixture<SharedRateLimitTests.TwoNodes>
{
    [Fact]
    public async Task Ticket_writes_alternating_between_two_nodes_are_refused_at_the_limit_once_not_twice()
    {
        await shop.BothSharedAsync();
        var writer = await TestAccounts.CreateAsync(shop.Factory);
        var nodes = new[] { shop.Factory.ApiClient(writer.ApiKey), shop.NodeB.ApiClient(writer.ApiKey) };

        for (var i = 0; i < TwoNodes.TicketWrites; i++)
            Assert.Equal(HttpStatusCode.NotFound, (await ReplyAsync(nodes[i % 2])).StatusCode);

        foreach (var node in nodes)
        {
            var refused = await ReplyAsync(node);
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal("rate_limited", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
            Assert.InRange(RetryAfter(refused), 1, 601);
        }
    }

    [Fact]
    public async Task Sign_in_attempts_on_one_account_spread_over_two_nodes_are_counted_together()
    {
        await shop.BothSharedAsync();
        var buyer = await TestAccounts.CreateAsync(shop.Factory);
        using var onA = new WebSession(shop.Factory);
        using var onB = new WebSession(shop.NodeB);

        for (var i = 0; i < TwoNodes.SignInsPerAccount; i++)
            Assert.Equal(HttpStatusCode.OK, (await (i % 2 == 0 ? onA : onB).SignInAsync(buyer.Email, "wrong-guess-" + i)).Status);

        var refused = await onB.SignInAsync(buyer.Email, buyer.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Contains("尝试次数太多", refused.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_redis_gone_the_shop_keeps_serving_and_each_node_counts_alone_until_it_returns()
    {
        await shop.BothSharedAsync();
        shop.Redis.Stop();
        try
        {
            var writer = await TestAccounts.CreateAsync(shop.Factory);
            foreach (var node in new[] { shop.Factory, shop.NodeB })
            {
                var api = node.ApiClient(writer.ApiKey);
                Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/me")).StatusCode);
                // Each node allows the limit on its own: the whole limit here, and then the whole limit on the other.
                for (var i = 0; i < TwoNodes.TicketWrites; i++)
                    Assert.Equal(HttpStatusCode.NotFound, (await ReplyAsync(api)).StatusCode);
                var refused = await ReplyAsync(api);
                Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
                Assert.True(RetryAfter(refused) >= 1);
            }
            Assert.Equal(HttpStatusCode.OK, (await shop.NodeB.CreateClient().GetAsync("/")).StatusCode);
        }
        finally
        {
            shop.Redis.Start();
        }
        await shop.BothSharedAsync();
    }

    private static Task<HttpResponseMessage> ReplyAsync(HttpClient api) =>
        api.PostAsJsonAsync("/api/v1/tickets/TK-NONE/messages", new { body = "还在吗？" });

    private static int RetryAfter(HttpResponseMessage response) =>
        int.Parse(Assert.Single(response.Headers.GetValues("Retry-After")), NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>Two nodes and a Redis (<see cref="TwoNodesWithRedis"/>), with small limits.</summary>
    public sealed class TwoNodes : TwoNodesWithRedis
    {
        public const int TicketWrites = 4;
        public const int SignInsPerAccount = 4;

        protected override string ChannelPrefix => "cardmall-limits";

        protected override ShopFactory CreateFactory(string connectionString)
        {
            var factory = base.CreateFactory(connectionString);
            factory.Settings["CardMall:RateLimits:TicketWritesPerUser:Permits"] = TicketWrites.ToString(CultureInfo.InvariantCulture);
            factory.Settings["CardMall:SignIn:AttemptsPerAccountPerMinute"] = SignInsPerAccount.ToString(CultureInfo.InvariantCulture);
            return factory;
        }

        /// <summary>Waits until both nodes count in Redis (at start, and after Redis came back).</summary>
        public Task BothSharedAsync() =>
            BothAsync(n => n.Services.GetRequiredService<RateLimitCounters>().Shared, "a node did not connect to Redis");
    }
}
