using CardMall.Application.Abstractions;
using MediatR;

namespace CardMall.Application.Behaviors;

/// <summary>
/// Last in the pipeline: runs a command and its SaveChanges in one transaction inside the EF execution
/// strategy (<see cref="OwnTransaction"/>), so that Npgsql's retry on transient failures replays the whole unit of
/// work, never half of it. Queries pass straight through. A command sent from inside another command joins the outer
/// transaction.
/// </summary>
internal sealed class TransactionBehavior<TRequest, TResponse>(ICardMallDb db) : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is not ICommandMarker || db.Database.CurrentTransaction is not null)
            return await next();

        return await db.InOwnTransactionAsync(_ => next(), cancellationToken);
    }
}
