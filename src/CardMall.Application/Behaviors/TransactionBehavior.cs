using CardMall.Application.Abstractions;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Behaviors;

/// <summary>
/// Last in the pipeline: runs a command and its SaveChanges in one transaction inside the EF execution
/// strategy, so that Npgsql's retry on transient failures replays the whole unit of work, never half of
/// it. Queries pass straight through. A command sent from inside another command joins the outer
/// transaction.
/// </summary>
internal sealed class TransactionBehavior<TRequest, TResponse>(ICardMallDb db) : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is not ICommandMarker || db.Database.CurrentTransaction is not null)
            return await next();

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            // A retry starts from what is in the database, not from the failed attempt's entities.
            db.ResetTracking();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var response = await next();
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return response;
        }, cancellationToken);
    }
}
