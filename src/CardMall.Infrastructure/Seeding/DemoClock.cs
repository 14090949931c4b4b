namespace CardMall.Infrastructure.Seeding;

/// <summary>
/// The clock the demo's stories run on: they are written over past weeks, so the commands they send must
/// see the moment of each step, not today. Only the seeder's own container has it (<see cref="DemoScope"/>);
/// the app keeps <see cref="TimeProvider.System"/>. It only moves forward, as time does.
/// </summary>
internal sealed class DemoClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; private set; } = start;

    public void MoveTo(DateTimeOffset at)
    {
        if (at < Now) throw new InvalidOperationException($"The demo clock cannot go back from {Now:O} to {at:O}.");
        Now = at;
    }

    public override DateTimeOffset GetUtcNow() => Now;
}
