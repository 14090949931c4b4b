using CardMall.Application.Abstractions;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Dashboards;

/// <summary>
/// Live chat in a period, read live from <c>chats</c> by the time each chat started (its <c>created_at</c> index): a
/// chat's table is small beside orders and tickets — one row per conversation — so it needs no rollup yet.
/// Time to a person is accepted − started for chats a person took; abandoned chats are those the buyer left while
/// waiting; "ended without a ticket" counts chats that ended (answered, abandoned, or left as a message) with no
/// ticket made of them.
/// </summary>
internal static class PeriodChats
{
    public static Task<Row> ReadAsync(ICardMallDb db, DateTimeOffset start, DateTimeOffset end, TimeSpan target, CancellationToken ct) =>
        db.Database.SqlQuery<Row>($"""
            SELECT count(*)::int AS "Chats",
                   (count(*) FILTER (WHERE accepted_at IS NOT NULL))::int AS "Reached",
                   (count(*) FILTER (WHERE accepted_at - created_at <= {target}))::int AS "WithinTarget",
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM accepted_at - created_at)) FILTER (WHERE accepted_at IS NOT NULL) AS "ToPersonMedian",
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM accepted_at - created_at)) FILTER (WHERE accepted_at IS NOT NULL) AS "ToPersonP90",
                   (count(*) FILTER (WHERE abandoned))::int AS "Abandoned",
                   (count(DISTINCT agent_id) FILTER (WHERE accepted_at IS NOT NULL))::int AS "Agents",
                   (count(*) FILTER (WHERE rating IS NOT NULL))::int AS "Rated",
                   avg(rating)::float8 AS "AverageRating",
                   (count(*) FILTER (WHERE rating >= 4))::int AS "RatedFourOrMore",
                   (count(*) FILTER (WHERE status IN ('Ended', 'Offline')))::int AS "Ended",
                   (count(*) FILTER (WHERE status IN ('Ended', 'Offline') AND ticket_id IS NULL))::int AS "EndedWithoutTicket"
            FROM chats WHERE created_at >= {start} AND created_at < {end}
            """).SingleAsync(ct);

    // Settable properties named as the statement's quoted aliases.
    internal sealed class Row
    {
        public int Chats { get; set; }
        public int Reached { get; set; }
        public int WithinTarget { get; set; }
        public double? ToPersonMedian { get; set; }
        public double? ToPersonP90 { get; set; }
        public int Abandoned { get; set; }
        public int Agents { get; set; }
        public int Rated { get; set; }
        public double? AverageRating { get; set; }
        public int RatedFourOrMore { get; set; }
        public int Ended { get; set; }
        public int EndedWithoutTicket { get; set; }

        public ChatFigures Figures(TimeSpan target) => new(Chats, Reached, WithinTarget, (int)target.TotalSeconds, ToPersonMedian, ToPersonP90,
            Abandoned, Agents, Rated, AverageRating, RatedFourOrMore, Ended, EndedWithoutTicket);
    }
}

/// <summary>Live chat figures of a period (time to a person in seconds against <see cref="TargetSeconds"/>; rates are shares).</summary>
public sealed record ChatFigures(
    int Chats, int Reached, int WithinTarget, int TargetSeconds, double? ToPersonMedian, double? ToPersonP90, int Abandoned, int Agents,
    int Rated, double? AverageRating, int RatedFourOrMore, int Ended, int EndedWithoutTicket)
{
    public static readonly ChatFigures None = new(0, 0, 0, 30, null, null, 0, 0, 0, null, 0, 0, 0);

    /// <summary>Reached a person within the target ÷ chats a person took.</summary>
    public double? WithinTargetShare => DashboardFigures.Share(WithinTarget, Reached);

    public double? AbandonedShare => DashboardFigures.Share(Abandoned, Chats);

    /// <summary>Chats a person took ÷ the agents who took them.</summary>
    public double? ChatsPerAgent => Agents == 0 ? null : (double)Reached / Agents;

    public double? SatisfiedShare => DashboardFigures.Share(RatedFourOrMore, Rated);

    public double? WithoutTicketShare => DashboardFigures.Share(EndedWithoutTicket, Ended);
}
