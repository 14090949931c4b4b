using System.Buffers.Binary;
using CardMall.Domain.Tickets;
using MathNet.Numerics.Statistics;

namespace CardMall.Application.Features.Dashboards;

/// <summary>
/// A period's tickets, read once, in groups by filing day, category and assignee (migration 0012): their counts,
/// and the clock values (first response, resolution) the medians and p90 are taken from. The headline, the
/// daily series, the category table and the agent table are all sums over these groups. The quantiles are computed here rather than in PostgreSQL
/// because its <c>percentile_cont</c> sorts every group's values once per figure (five sorts of up to a year's
/// tickets, most of the dashboard's time on a year of data); selecting the order statistics from the gathered
/// values in memory gives the same interpolated values, bit for bit (DashboardQuantileTests), in linear time.
/// </summary>
internal sealed class PeriodTickets(IReadOnlyList<PeriodTickets.Group> groups)
{
    public int Count => groups.Sum(g => g.Tickets);

    public int Sum(Func<Group, int> figure) => groups.Sum(figure);

    /// <summary>Median and p90 of all first responses (gathers and selects on every call).</summary>
    public (double? Median, double? P90) FirstResponse() => MedianAndP90(groups.Select(g => g.FirstResponses));

    public (double? Median, double? P90) Resolution() => MedianAndP90(groups.Select(g => g.Resolutions));

    public IReadOnlyList<CategoryFigures> Categories()
    {
        var total = Count;
        return groups.GroupBy(g => g.Category)
            .Select(c => new CategoryFigures(Enum.Parse<TicketCategory>(c.Key), c.Sum(g => g.Tickets), DashboardFigures.Share(c.Sum(g => g.Tickets), total),
                Quantile(c.Select(g => g.Resolutions), 0.5)))
            .OrderByDescending(c => c.Tickets).ThenBy(c => c.Category).ToList();
    }

    /// <summary>Per filing day: tickets, and those whose first-response target is decided and met.</summary>
    public IReadOnlyDictionary<DateOnly, (int Tickets, int FirstResponseDecided, int FirstResponseMet)> ByDay() =>
        groups.GroupBy(g => DateOnly.FromDateTime(g.Day))
            .ToDictionary(d => d.Key, d => (d.Sum(g => g.Tickets), d.Sum(g => g.FirstResponseDecided), d.Sum(g => g.FirstResponseMet)));

    /// <summary>Per assignee: tickets, first-response and resolution medians, ratings given and their average.</summary>
    public IReadOnlyDictionary<Guid, AgentTickets> ByAgent() =>
        groups.Where(g => g.AssigneeId is not null).GroupBy(g => g.AssigneeId!.Value)
            .ToDictionary(a => a.Key, a =>
            {
                var rated = a.Sum(g => g.Rated);
                return new AgentTickets(a.Sum(g => g.Tickets), Quantile(a.Select(g => g.FirstResponses), 0.5),
                    Quantile(a.Select(g => g.Resolutions), 0.5), rated, rated == 0 ? null : (double)a.Sum(g => g.RatingSum) / rated);
            });

    /// <summary>The p-quantile of all values in <paramref name="runs"/> as percentile_cont(p) gives it; null when there are none.</summary>
    public static double? Quantile(IEnumerable<double[]?> runs, double p) => Quantiles(runs, p) is [var q] ? q : null;

    private static (double? Median, double? P90) MedianAndP90(IEnumerable<double[]?> runs) =>
        Quantiles(runs, 0.5, 0.9) is [var median, var p90] ? (median, p90) : (null, null);

    /// <summary>The quantiles of the gathered values, found by selection rather than a full sort; empty when there are no values.</summary>
    private static double[] Quantiles(IEnumerable<double[]?> runs, params double[] ps)
    {
        var parts = runs.Where(r => r is { Length: > 0 }).ToList();
        var values = new double[parts.Sum(r => r!.Length)];
        if (values.Length == 0) return [];
        var at = 0;
        foreach (var part in parts)
        {
            part!.CopyTo(values, at);
            at += part.Length;
        }
        return ps.Select(p => PercentileCont(values, p)).ToArray();
    }

    /// <summary>
    /// percentile_cont's own arithmetic (PostgreSQL's orderedsetaggs.c), not a library's R-7 formula: that one
    /// reaches the same point by another rounding path and can differ in the last bit (p90 of {60, 7200} is
    /// 6486 here and there, 6485.999999999999 by R-7), and the figures must equal what SQL gives.
    /// </summary>
    private static double PercentileCont(double[] values, double p)
    {
        var position = p * (values.Length - 1);
        var (first, second) = (Math.Floor(position), Math.Ceiling(position));
        var low = ArrayStatistics.OrderStatisticInplace(values, (int)first + 1);
        if (second == first) return low;
        var high = ArrayStatistics.OrderStatisticInplace(values, (int)second + 1);
        return low + (position - first) * (high - low);
    }

    /// <summary>One (day, category, assignee) group of the period's tickets, as the SQL reads it.</summary>
    internal sealed class Group
    {
        public DateTime Day { get; set; }
        public string Category { get; set; } = "";
        public Guid? AssigneeId { get; set; }
        public int Tickets { get; set; }
        public int Complaints { get; set; }
        public int FirstResponseDecided { get; set; }
        public int FirstResponseMet { get; set; }
        public int ResolutionDecided { get; set; }
        public int ResolutionMet { get; set; }
        public int Breached { get; set; }
        public int Reopened { get; set; }
        public int Urged { get; set; }
        /// <summary>Tickets of the group rated so far, and the sum of their stars (the agent table's average).</summary>
        public int Rated { get; set; }
        public int RatingSum { get; set; }
        /// <summary>Seconds to the first response / to resolution without paused time, of the tickets that have them,
        /// as the SQL sends them: 8-byte big-endian float8send values one after another (migration 0012).</summary>
        public byte[] PackedFirstResponses { get; set; } = [];
        public byte[] PackedResolutions { get; set; } = [];

        private double[]? _firstResponses;
        private double[]? _resolutions;

        public double[] FirstResponses => _firstResponses ??= Unpack(PackedFirstResponses);

        public double[] Resolutions => _resolutions ??= Unpack(PackedResolutions);

        private static double[] Unpack(byte[] packed)
        {
            var values = new double[packed.Length / sizeof(double)];
            for (var i = 0; i < values.Length; i++)
                values[i] = BinaryPrimitives.ReadDoubleBigEndian(packed.AsSpan(i * sizeof(double)));
            return values;
        }
    }
}

internal sealed record AgentTickets(int Handled, double? FirstResponseMedian, double? ResolutionMedian, int Rated, double? AverageRating);
