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
/// An operator releases a frozen batch: its keys that the batch freeze took off sale become Available
/// again, each with an event naming the operator and the reason. A key frozen after it was sold (risk
/// control, one key at a time) stays frozen: it needs its own review.
/// </summary>
public sealed record UnfreezeBatch(Guid BatchId, string Reason) : IAuditedCommand<BatchFreezeResult>
{
    public AuditNote Audit(BatchFreezeResult result) => new(AuditActions.BatchUnfrozen, BatchId.ToString(), $"{result.KeysChanged} keys unfrozen; reason: {Reason}");
}

public sealed class UnfreezeBatchValidator : AbstractValidator<UnfreezeBatch>
{
    public UnfreezeBatchValidator()
    {
        RuleFor(x => x.Reason).NotEmpty().WithMessage(_ => AppText.Get("Admin.Batches.ReasonRequired"))
            .MaximumLength(500).WithMessage(_ => AppText.Get("Admin.Batches.ReasonRequired"));
    }
}

internal sealed class UnfreezeBatchHandler(ICardMallDb db, ICardKeyBulkWriter keys, ICurrentUser currentUser, TimeProvider clock)
    : IRequestHandler<UnfreezeBatch, BatchFreezeResult>
{
    public async Task<BatchFreezeResult> Handle(UnfreezeBatch request, CancellationToken cancellationToken)
    {
        var operatorId = currentUser.RequireAnyRole(ShopRoles.Operator, ShopRoles.Admin);
        var batch = await db.Locks.LockAsync<KeyBatch>(request.BatchId, cancellationToken)
            ?? throw new NotFoundException(AppText.Get("CardKeys.BatchNotFound"));
        var released = await keys.MoveAsync(batch.Release(operatorId, request.Reason.Trim(), clock.GetUtcNow()), cancellationToken);
        return new BatchFreezeResult(batch.Id, released);
    }
}
