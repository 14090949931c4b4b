using CardMall.IntegrationTests.Support;
using CardMall.IntegrationTests.Tickets;
using CardMall.TestSupport;
using CardMall.Web.Chats;

namespace CardMall.IntegrationTests.Chats;

/// <summary>
/// Two web nodes of one shop: the same PostgreSQL database, the same fake clock and the same real Redis as the SignalR
/// backplane (on a channel prefix of their own, so other runs sharing the Redis are not heard). Node A is the
/// fixture's <see cref="ShopFixture.Factory"/>, node B is <see cref="NodeB"/>.
/// </summary>
public sealed class TwoNodeShop : TicketShop
{
    private readonly string _prefix = "cardmall-test-" + Guid.NewGuid().ToString("N")[..12];

    public ShopFactory NodeB { get; private set; } = null!;

    protected override void AddSettings(IDictionary<string, string?> settings)
    {
        settings[ChatBackplane.RedisSetting] = RedisServer.Configuration;
        settings[ChatBackplane.ChannelPrefixSetting] = _prefix;
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        NodeB = CreateFactory(Database.ConnectionString);
        _ = NodeB.Server;
    }

    public override async Task DisposeAsync()
    {
        await NodeB.DisposeAsync();
        await base.DisposeAsync();
    }
}
