using CardMall.Application.Features.Dashboards;
using CardMall.TestSupport;
using Npgsql;

namespace CardMall.IntegrationTests.Dashboards;

/// <summary>
/// The dashboard's medians and p90 are taken in the application from the rolled-up clock values (migration
/// 0012), no longer by PostgreSQL's percentile_cont. Operators compare them with the figures they used to see
/// and with their own SQL, so they must be the very same numbers: here percentile_cont itself is the oracle.
/// </summary>
public sealed class DashboardQuantileTests
{
    public static TheoryData<string, double[][]> Sets => new()
    {
        { "one value", [[1800.5]] },
        { "two values", [[7200], [60]] },
        { "ties", [[5, 5, 5], [5, 1, 9], [9]] },
        { "uneven runs", [[3.25, 1e-3, 86_400 * 3.5], [], [42, 42.000001, 17.75, 600], [0]] },
        { "a year of seconds", Runs(new Random(20261122), 37, 2_800) },
    };

    [Theory]
    [MemberData(nameof(Sets))]
    public async Task Median_and_p90_equal_postgresqls_percentile_cont_exactly(string set, double[][] runs)
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY v) FROM unnest($1) AS v", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = runs.SelectMany(r => r).ToArray() });
        var expected = (double[])(await cmd.ExecuteScalarAsync())!;

        var nullableRuns = runs.Select(r => (double[]?)r).ToList();
        Assert.True(expected[0] == PeriodTickets.Quantile(nullableRuns, 0.5), $"{set}: median {expected[0]:R} ≠ {PeriodTickets.Quantile(nullableRuns, 0.5):R}");
        Assert.True(expected[1] == PeriodTickets.Quantile(nullableRuns, 0.9), $"{set}: p90 {expected[1]:R} ≠ {PeriodTickets.Quantile(nullableRuns, 0.9):R}");
    }

    [Fact]
    public void No_values_give_no_median_rather_than_zero()
    {
        Assert.Null(PeriodTickets.Quantile([], 0.5));
        Assert.Null(PeriodTickets.Quantile([null, []], 0.9));
    }

    /// <summary>Clock values as a year of groups holds them: many runs, seconds with microsecond fractions, a long tail.</summary>
    private static double[][] Runs(Random random, int count, int maxLength) =>
        Enumerable.Range(0, count)
            .Select(_ => Enumerable.Range(0, random.Next(0, maxLength))
                .Select(_ => Math.Round(Math.Exp(random.NextDouble() * 12), 6)).ToArray())
            .ToArray();
}
