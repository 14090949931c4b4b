using Microsoft.Extensions.Logging;

namespace CardMall.Application.Abstractions;

/// <summary>
/// Work that may only happen once the unit of work is committed — telling live connections of a chat message,
/// which must never announce what a rollback then takes back ("stored before it is broadcast"). Domain event
/// handlers add to it inside the transaction; the transaction behavior runs it after the commit, and forgets it
/// when an attempt is retried.
/// </summary>
public sealed class AfterCommit(ILogger<AfterCommit> logger)
{
    private readonly List<Func<CancellationToken, Task>> _work = [];

    public void Add(Func<CancellationToken, Task> work) => _work.Add(work);

    internal void Forget() => _work.Clear();

    internal async Task RunAsync(CancellationToken ct)
    {
        var work = _work.ToList();
        _work.Clear();
        foreach (var step in work)
        {
            // What is committed stays committed: a connection that missed this catches up from the database.
            try { await step(ct); }
            catch (Exception e) when (e is not OperationCanceledException) { logger.LogWarning(e, "After-commit work failed"); }
        }
    }
}
