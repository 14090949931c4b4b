using CardMall.Domain.Outreach;

namespace CardMall.Application.Features.Outreach;

/// <summary>
/// Greetings (CardMall:Greetings): which occasions the shop greets buyers on, from what local hour, and how often
/// the greeting pass looks. The texts are the notifications' own (Notification.BirthdayGreeting …, zh-CN and en-US).
/// </summary>
public sealed class GreetingOptions
{
    public const string Section = "CardMall:Greetings";

    public bool Birthday { get; set; } = true;
    public bool SpringFestival { get; set; } = true;
    public bool MidAutumn { get; set; } = true;

    /// <summary>Not before this hour of the buyer's day: a greeting is read in the morning, not found at midnight.</summary>
    public int FromHour { get; set; } = 8;

    /// <summary>How often each node's greeting pass runs (one at a time across nodes).</summary>
    public TimeSpan PassInterval { get; set; } = TimeSpan.FromMinutes(15);

    public GreetingSwitches Switches => new(Birthday, SpringFestival, MidAutumn);
}
