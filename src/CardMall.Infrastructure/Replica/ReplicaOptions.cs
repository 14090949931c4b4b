namespace CardMall.Infrastructure.Replica;

/// <summary>
/// Configuration section <c>CardMall:Replica</c>; the replica itself is <c>ConnectionStrings:CardMallReplica</c>
/// (docs/operations.md, "Several web nodes"; docs/decisions/0040).
/// </summary>
public sealed class ReplicaOptions
{
    public const string Section = "CardMall:Replica";

    public const string ConnectionStringName = "CardMallReplica";

    /// <summary>The most a lag-tolerant read may be behind the primary; beyond it reads go to the primary.</summary>
    public double MaxLagSeconds { get; set; } = 5;

    /// <summary>How long one measurement of the replica's lag (or that it is down) is believed.</summary>
    public double CheckSeconds { get; set; } = 2;
}
