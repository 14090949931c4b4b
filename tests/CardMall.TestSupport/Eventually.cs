namespace CardMall.TestSupport;

/// <summary>
/// For the few tests of work the running shop does on its own timer: read until the condition holds, or fail
/// after a generous limit. Never used to measure time — only to wait for an outcome.
/// </summary>
public static class Eventually
{
    public static async Task<T> ThatAsync<T>(Func<Task<T>> read, Func<T, bool> holds, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (true)
        {
            var value = await read();
            if (holds(value)) return value;
            if (DateTime.UtcNow > until) throw new Xunit.Sdk.XunitException($"Still not so after {limit.TotalSeconds:0} s: {value}");
            await Task.Delay(100);
        }
    }
}
