using CardMall.Application.Abstractions;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Behaviors;

/// <summary>
/// One unit of work and its SaveChanges in a transaction of its own, inside the EF execution strategy so that
/// Npgsql's retry on transient failures replays the whole unit, never half of it. The transaction behavior runs
/// every command this way; work that must talk to the outside world between two short transactions (the
/// outbox sending e-mail, a key check asking its supplier) runs each of its steps this way, with no transaction
/// open in between.
/// </summary>
internal static class OwnTransaction
{
    public static Task<T> InOwnTransactionAsync<T>(this ICardMallDb db, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return strategy.ExecuteAsync(async ct =>
        {
            // A retry starts from what is in the database, not from the failed attempt's entities.
            db.ResetTracking();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var result = await work(ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return result;
        }, cancellationToken);
    }

    public static Task InOwnTransactionAsync(this ICardMallDb db, Func<CancellationToken, Task> work, CancellationToken cancellationToken) =>
        db.InOwnTransactionAsync(async ct =>
        {
            await work(ct);
            return true;
        }, cancellationToken);
}
