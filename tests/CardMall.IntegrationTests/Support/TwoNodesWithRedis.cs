using CardMall.TestSupport;
using CardMall.Web.Chats;

namespace CardMall.IntegrationTests.Support;

/// <summary>
/// Nodes A (<see cref="ShopFixture.Factory"/>) and B on one database and a Redis of their own (a <see cref="ThrowawayRedis"/>,
/// so a test can stop it as an outage), under a channel prefix of the test class's own.
/// </summary>
public abstract class TwoNodesWithRedis : ShopFixture
{
    public ThrowawayRedis Redis { get; } = new ThrowawayRedis().Start();

    public ShopFactory NodeB { get; private set; } = null!;

    protected abstract string ChannelPrefix { get; }

    /// <summary>A node before the Redis settings are added: a test class adds services (<see cref="ShopFactory.Configure"/>) here.</summary>
    protected virtual ShopFactory NewNode(string connectionString) => new(connectionString);

    protected override ShopFactory CreateFactory(string connectionString)
    {
        var factory = NewNode(connectionString);
        factory.Settings[ChatBackplane.RedisSetting] = Redis.Configuration;
        factory.Settings[ChatBackplane.ChannelPrefixSetting] = ChannelPrefix;
        return factory;
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        NodeB = CreateFactory(Database.ConnectionString);
        _ = NodeB.Server;
    }

    /// <summary>Waits (up to 30 s) until both nodes are ready by <paramref name="ready"/>: at start, and after Redis came back.</summary>
    protected async Task BothAsync(Func<ShopFactory, bool> ready, string failure)
    {
        var nodes = new[] { Factory, NodeB };
        for (var i = 0; i < 300 && !nodes.All(ready); i++) await Task.Delay(100);
        Assert.True(nodes.All(ready), failure);
    }

    public override async Task DisposeAsync()
    {
        await NodeB.DisposeAsync();
        await base.DisposeAsync();
        Redis.Dispose();
    }
}
