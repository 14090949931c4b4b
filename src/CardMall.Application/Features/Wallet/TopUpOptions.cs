namespace CardMall.Application.Features.Wallet;

/// <summary>
/// How long a buyer has to pay a top-up and how the watcher chases payments whose notification never
/// came (configuration section CardMall:TopUps).
/// </summary>
public sealed class TopUpOptions
{
    public const string Section = "CardMall:TopUps";

    /// <summary>After this the top-up expires and its payment is closed at the gateway.</summary>
    public TimeSpan PayWithin { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How old a pending top-up must be before the watcher asks the gateway about it (the notification usually comes first).</summary>
    public TimeSpan CheckAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the watcher runs.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(15);
}
