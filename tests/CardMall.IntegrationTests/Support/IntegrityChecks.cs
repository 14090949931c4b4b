using CardMall.TestSupport;

namespace CardMall.IntegrationTests.Support;

/// <summary>
/// bench/integrity.sql — what must hold after any load or fault (no key sold twice, every order with exactly its keys,
/// every wallet equal to its ledger, reserved keys only on orders awaiting payment…) — run against a test's database:
/// the benchmarks' fault script and the tests share one definition.
/// </summary>
public static class IntegrityChecks
{
    public static async Task AssertHoldAsync(TestDatabase database)
    {
        var checks = await database.Sql.RowsAsync(await File.ReadAllTextAsync(SqlFile()), r => (Check: r.GetString(0), Problems: r.GetInt64(1)));
        Assert.True(checks.Count >= 9, "bench/integrity.sql lost its checks");
        Assert.All(checks, c => Assert.True(c.Problems == 0, $"{c.Check}: {c.Problems}"));
    }

    private static string SqlFile()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CardMall.sln"))) return Path.Combine(dir.FullName, "bench", "integrity.sql");
        throw new InvalidOperationException($"CardMall.sln was not found above {AppContext.BaseDirectory}.");
    }
}
