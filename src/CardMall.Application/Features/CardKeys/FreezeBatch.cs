using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Audit;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Common;
using FluentValidation;
using MediatR;

namespace CardMall.Application.Features.CardKeys;

/// <summary>
/// An operator stops a batch from selling (a supplier incident, a suspicious file): every key of the
/// batch still available becomes Frozen, each with an event naming the operator and the reason. Keys
/// already sold stay with their buyers; risk control freezes those one by one.
/// </summary>
public sealed record FreezeBatch(Guid BatchId, string Reason) : IAuditedCommand<BatchFreezeResult>
{
    public AuditNote Audit(BatchFreezeResult result) => new(AuditActions.BatchFrozen, BatchId.ToString(), $"{result.KeysChanged} keys frozen; reason: {Reason}");
}

public sealed class FreezeBatchValidator : AbstractValidator<FreezeBatch>
{
    public FreezeBatchValidator()
    {
        // Each rule carries the message: WithMessage only applies to the rule just before it.
        RuleFor(x => x.Reason).NotEmpty().WithMessage(_ => AppText.Get("Admin.Batches.ReasonRequired"))
            .MaximumLength(500).WithMessage(_ => AppText.Get("Admin.Batches.ReasonRequired"));
    }
}

internal sealed class FreezeBatchHandler(ICardMallDb db, ICardKeyBulkWriter keys, ICurrentUser currentUser, TimeProvider clock)
    : IRequestHandler<FreezeBatch, BatchFreezeResult>
{
    public async Task<BatchFreezeResult> Handle(FreezeBatch request, CancellationToken cancellationToken)
    {
        var operatorId = currentUser.RequireAnyRole(ShopRoles.Operator, ShopRoles.Admin);
        // The batch row is locked so that a freeze and an unfreeze of one batch take turns.
        var batch = await db.Locks.LockAsync<KeyBatch>(request.BatchId, cancellationToken)
            ?? throw new NotFoundException(AppText.Get("CardKeys.BatchNotFound"));
        var frozen = await keys.MoveAsync(batch.Freeze(operatorId, request.Reason.Trim(), clock.GetUtcNow()), cancellationToken);
        return new BatchFreezeResult(batch.Id, frozen);
    }
}

/// <summary>How many keys a freeze or an unfreeze changed.</summary>
public sealed record BatchFreezeResult(Guid BatchId, int KeysChanged);
