using CardMall.Application.Abstractions;
using CardMall.Domain.Accounts;
using CardMall.Domain.Audit;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Behaviors;

/// <summary>
/// After the transaction behavior: when a staff member's <see cref="IAuditedCommand{TResult}"/> succeeds,
/// adds its audit record to the same unit of work, so the transaction behavior saves and commits both
/// together. One place for the whole log instead of a call in every handler.
/// </summary>
internal sealed class AuditBehavior<TRequest, TResponse>(ICardMallDb db, ICurrentUser currentUser, TimeProvider clock)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var response = await next();
        if (request is IAuditedCommand<TResponse> audited && currentUser.UserId is { } actorId && ShopRoles.Staff.Any(currentUser.IsInRole))
        {
            var note = audited.Audit(response);
            var email = await db.Users.Where(u => u.Id == actorId).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken);
            db.AuditRecords.Add(new AuditRecord(clock.GetUtcNow(), actorId, email ?? "", note.Action, note.Subject, note.Detail, currentUser.IpAddress));
        }
        return response;
    }
}
