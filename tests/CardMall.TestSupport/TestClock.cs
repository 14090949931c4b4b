namespace CardMall.TestSupport;

/// <summary>
/// A clock tests move by hand (SLA due times, reopen windows, auto-close). Register it with
/// <c>Configure = s => s.AddSingleton&lt;TimeProvider&gt;(clock)</c> on a <see cref="ShopFactory"/>.
/// Timers created from it still run on real time; only "now" is controlled.
/// </summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public TestClock() : this(DateTimeOffset.UtcNow) { }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    public void Set(DateTimeOffset to) => Interlocked.Exchange(ref _ticks, to.UtcTicks);
}
