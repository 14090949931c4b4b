namespace CardMall.IntegrationTests.Support;

/// <summary>
/// The Redis the backplane tests use: CARDMALL_TEST_REDIS when set (./scripts/test.sh starts one), else a
/// <see cref="ThrowawayRedis"/> started here on a free port, stopped when the process exits.
/// A missing server is a failure with a clear message, never a skipped test.
/// </summary>
public static class RedisServer
{
    private static readonly Lazy<string> Address = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>host:port of a Redis server for this test run.</summary>
    public static string Configuration => Address.Value;

    private static string Start()
    {
        var configured = Environment.GetEnvironmentVariable("CARDMALL_TEST_REDIS");
        return string.IsNullOrWhiteSpace(configured) ? new ThrowawayRedis().Start().Configuration : configured;
    }
}
