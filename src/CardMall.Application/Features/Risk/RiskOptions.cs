namespace CardMall.Application.Features.Risk;

/// <summary>Risk thresholds (configuration section CardMall:Risk).</summary>
public sealed class RiskOptions
{
    public const string Section = "CardMall:Risk";

    /// <summary>A key tried from this many distinct devices within <see cref="DeviceWindow"/> is frozen.</summary>
    public int DistinctDevices { get; set; } = 3;

    public TimeSpan DeviceWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Different buyers complaining about as many different keys of one batch within <see cref="ComplaintWindow"/>
    /// that open an incident. Buyers, not tickets: one buyer's complaints never freeze a batch.
    /// </summary>
    public int ComplaintsPerBatch { get; set; } = 3;

    public TimeSpan ComplaintWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A batch whose complaint rate over its sold keys passes this share opens an incident.</summary>
    public double ComplaintRate { get; set; } = 0.02;

    /// <summary>The rate rule needs this many sold keys, so one complaint on a tiny batch is not an incident.</summary>
    public int MinSoldForRate { get; set; } = 50;

    /// <summary>Different buyers the rate rule needs among the complaints: a rate made of one reseller's keys is theirs, not the batch's.</summary>
    public int MinBuyersForRate { get; set; } = 3;
}
