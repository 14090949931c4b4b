using CardMall.Application.Abstractions;
using MediatR;

namespace CardMall.Application.Behaviors;

/// <summary>
/// Last in the pipeline: runs a command and its SaveChanges in one transaction inside the EF execution
/// strategy (<see cref="OwnTransaction"/>), so that Npgsql's retry on transient failures replays the whole unit of
/// work, never half of it. Queries pass straight through. A command sent from inside another command joins the outer
/// transaction. What the unit of work left for after the commit (<see cref="AfterCommit"/>) runs once it is committed.
/// </summary>
internal sealed class TransactionBehavior<TRequest, TResponse>(ICardMallDb db, AfterCommit afterCommit) : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is not ICommandMarker || db.Database.CurrentTransaction is not null)
            return await next();

        var result = await db.InOwnTransactionAsync(_ =>
        {
            afterCommit.Forget();
            return next();
        }, cancellationToken);
        await afterCommit.RunAsync(cancellationToken);
        return result;
    }
}
