namespace CardMall.Application.Abstractions;

/// <summary>
/// A value a node keeps in memory and reads again once it is older than the age the caller allows (real
/// time, whatever the shop's clock says). When it is stale one caller reads it while the others wait for that
/// same read, so a promotion's crowd costs one read per period and the database never sees a stampede.
/// <see cref="Forget"/> makes the next caller read it again (a change made on this node is seen at once). It is
/// called inside the changing transaction, before its commit, so for <see cref="Settle"/> after it reads are
/// served but not kept: one of them could have run before the commit.
/// </summary>
public sealed class KeptFresh<T>(Func<Task<T>> read) where T : class
{
    private (T Value, long ReadAt)? current;
    private Task<T>? reading;
    private long generation;
    private long forgottenAt;
    private readonly Lock gate = new();

    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    public async ValueTask<T> GetAsync(TimeSpan maxAge, CancellationToken ct)
    {
        var kept = current;
        if (kept is { } k && TimeProvider.System.GetElapsedTime(k.ReadAt) < maxAge)
            return k.Value;

        Task<T> pending;
        lock (gate)
        {
            if (reading is null || reading.IsCompleted)
                reading = Task.Run(ReadAsync, CancellationToken.None);
            pending = reading;
        }
        // A cancelled page view must not cancel the read the others wait for.
        return await pending.WaitAsync(ct);
    }

    public void Forget()
    {
        lock (gate)
        {
            generation++;
            forgottenAt = TimeProvider.System.GetTimestamp();
            current = null;
            reading = null;
        }
    }

    private async Task<T> ReadAsync()
    {
        long readingGeneration;
        lock (gate) { readingGeneration = generation; }
        var started = TimeProvider.System.GetTimestamp();
        var value = await read();
        lock (gate)
        {
            // A read that began before or just after a Forget() may hold the old state: serve it to its waiters, keep it not.
            var settled = forgottenAt == 0 || TimeProvider.System.GetElapsedTime(forgottenAt) > Settle;
            if (readingGeneration == generation && settled) current = (value, started);
        }
        return value;
    }
}
