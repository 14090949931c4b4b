namespace CardMall.Domain.Outreach;

/// <summary>Why the shop greets a buyer on a day. Stored by name; add, never rename.</summary>
public enum GreetingOccasion
{
    Birthday = 0,
    SpringFestival = 1,
    MidAutumn = 2,
}

/// <summary>
/// The one greeting a buyer got on one day of their own calendar (their time zone). The primary key is
/// (user, day): however many passes or web nodes try, a buyer is greeted at most once a day — a birthday on
/// Mid-Autumn is one message, not two.
/// </summary>
public sealed class Greeting
{
    private Greeting() { }

    public Greeting(Guid userId, DateOnly day, GreetingOccasion occasion, DateTimeOffset now)
    {
        UserId = userId;
        Day = day;
        Occasion = occasion;
        SentAt = now;
    }

    public Guid UserId { get; private set; }
    /// <summary>The buyer's local date the greeting is for.</summary>
    public DateOnly Day { get; private set; }
    public GreetingOccasion Occasion { get; private set; }
    public DateTimeOffset SentAt { get; private set; }

    /// <summary>
    /// What, if anything, the buyer is greeted for on <paramref name="day"/>: their birthday first (it is theirs
    /// alone), then the holiday; an occasion switched off in <paramref name="switches"/> does not count.
    /// </summary>
    public static GreetingOccasion? For(DateOnly day, Birthday? birthday, GreetingSwitches switches)
    {
        if (switches.Birthday && birthday is { } b && b.FallsOn(day)) return GreetingOccasion.Birthday;
        return ChineseHolidays.On(day) is { } holiday && switches.IsOn(holiday) ? holiday : null;
    }
}

/// <summary>Which occasions the shop greets for (settings: CardMall:Greetings).</summary>
public sealed record GreetingSwitches(bool Birthday, bool SpringFestival, bool MidAutumn)
{
    public bool IsOn(GreetingOccasion occasion) => occasion switch
    {
        GreetingOccasion.Birthday => Birthday,
        GreetingOccasion.SpringFestival => SpringFestival,
        GreetingOccasion.MidAutumn => MidAutumn,
        _ => false,
    };

    public bool Any => Birthday || SpringFestival || MidAutumn;
}
