using System.Net.Http.Json;
using System.Text.Json;
using CardMall.Infrastructure.Replica;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CardMall.IntegrationTests.Nodes;

/// <summary>
/// Lag-tolerant reads (the catalogue here; dashboards and exports take the same door) go to the replica while it is
/// current, and to the primary when the replica is down or lags beyond the stated maximum. Routing is shown with a
/// second database standing in as the "replica" (it never hears of the product the primary has); the lag with a real
/// streaming replica whose replay is paused.
/// </summary>
public sealed class ReplicaReadsTests(ReplicaReadsTests.Nodes shop) : IClassFixture<ReplicaReadsTests.Nodes>
{
    [Fact]
    public async Task The_catalogue_is_read_from_the_replica_while_it_answers_and_from_the_primary_when_it_does_not()
    {
        var (sku, _) = await new TestShop(shop.Factory).ProductWithKeysAsync(1);
        var buyer = await TestAccounts.CreateAsync(shop.Factory);

        Assert.Contains(sku, await SkusAsync(shop.Factory, buyer));      // one node without a replica: the primary
        Assert.DoesNotContain(sku, await SkusAsync(shop.Routed, buyer)); // the replica, which has not got it
        Assert.Contains(sku, await SkusAsync(shop.ReplicaDown, buyer));  // the replica is down: the primary
    }

    [Fact]
    public async Task A_replica_that_has_replayed_everything_is_used_and_one_lagging_beyond_the_maximum_is_not()
    {
        using var pair = StreamingReplica.Start();
        await ExecuteAsync(pair.Primary, "CREATE TABLE t (x int); INSERT INTO t VALUES (1)");
        await Eventually.ThatAsync(() => ScalarAsync(pair.Replica, "SELECT count(*)::float8 FROM pg_class WHERE relname = 't'"), n => n == 1,
            TimeSpan.FromSeconds(30));
        Assert.True(await State(pair.Replica, maxLagSeconds: 1).UsableAsync(CancellationToken.None));

        await ExecuteAsync(pair.Replica, "SELECT pg_wal_replay_pause()");
        await ExecuteAsync(pair.Primary, "INSERT INTO t VALUES (2)");
        // Behind by more than the maximum: WAL received and not replayed, the last replayed write over a second old.
        await Eventually.ThatAsync(() => ScalarAsync(pair.Replica,
                "SELECT CASE WHEN pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn() THEN extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 ELSE 0 END"),
            lag => lag > 1.5, TimeSpan.FromSeconds(30));

        Assert.False(await State(pair.Replica, maxLagSeconds: 1).UsableAsync(CancellationToken.None));
        Assert.True(await State(pair.Replica, maxLagSeconds: 3600).UsableAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_unreachable_replica_is_not_used()
    {
        Assert.False(await State($"Host=127.0.0.1;Port={PostgresServer.FreePort()};Username=postgres;Database=postgres", 5)
            .UsableAsync(CancellationToken.None));
        Assert.False(await State(null, 5).UsableAsync(CancellationToken.None));
    }

    private static ReplicaState State(string? replica, double maxLagSeconds)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:" + ReplicaOptions.ConnectionStringName] = replica,
            [ReplicaOptions.Section + ":MaxLagSeconds"] = maxLagSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        services.AddOptions<ReplicaOptions>().BindConfiguration(ReplicaOptions.Section);
        return ActivatorUtilities.CreateInstance<ReplicaState>(services.BuildServiceProvider());
    }

    private static async Task<List<string>> SkusAsync(ShopFactory node, TestAccount buyer) =>
        (await node.ApiClient(buyer.ApiKey).GetFromJsonAsync<JsonElement[]>("/api/v1/products"))!
        .Select(p => p.GetProperty("sku").GetString()!).ToList();

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var command = new NpgsqlCommand(sql, conn);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<double> ScalarAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var command = new NpgsqlCommand(sql, conn);
        return Convert.ToDouble(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Three nodes on one primary: <see cref="ShopFixture.Factory"/> without a replica, <see cref="Routed"/> whose
    /// "replica" is a second database of the same schema, <see cref="ReplicaDown"/> whose replica nobody answers.
    /// </summary>
    public sealed class Nodes : ShopFixture
    {
        private TestDatabase _standIn = null!;

        public ShopFactory Routed { get; private set; } = null!;

        public ShopFactory ReplicaDown { get; private set; } = null!;

        public override async Task InitializeAsync()
        {
            _standIn = await TestDatabase.CreateAsync();
            await base.InitializeAsync();
            Routed = WithReplica(_standIn.ConnectionString);
            ReplicaDown = WithReplica($"Host=127.0.0.1;Port={PostgresServer.FreePort()};Username=postgres;Database=postgres");
        }

        private ShopFactory WithReplica(string replica)
        {
            var node = new ShopFactory(Database.ConnectionString);
            node.Settings["ConnectionStrings:" + ReplicaOptions.ConnectionStringName] = replica;
            _ = node.Server;
            return node;
        }

        public override async Task DisposeAsync()
        {
            await Routed.DisposeAsync();
            await ReplicaDown.DisposeAsync();
            await base.DisposeAsync();
            await _standIn.DisposeAsync();
        }
    }
}
