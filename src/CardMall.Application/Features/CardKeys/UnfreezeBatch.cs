using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Audit;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Common;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

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

internal sealed class UnfreezeBatchHandler(ICardMallDb db, ICurrentUser currentUser, TimeProvider clock) : IRequestHandler<UnfreezeBatch, BatchFreezeResult>
{
    public async Task<BatchFreezeResult> Handle(UnfreezeBatch request, CancellationToken cancellationToken)
    {
        var operatorId = currentUser.RequireAnyRole(ShopRoles.Operator, ShopRoles.Admin);
        var batch = (await db.KeyBatches.FromSql($"SELECT * FROM key_batches WHERE id = {request.BatchId} FOR UPDATE").ToListAsync(cancellationToken))
            .FirstOrDefault() ?? throw new NotFoundException(AppText.Get("CardKeys.BatchNotFound"));
        if (!batch.IsFrozen)
            throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Get("Admin.Batches.NotFrozen"));

        // CardKey.Unfreeze for the whole batch in one statement: back to the state before the freeze.
        var now = clock.GetUtcNow();
        var reason = request.Reason.Trim();
        var released = await db.Database.ExecuteSqlAsync($"""
            WITH released AS (
                UPDATE card_keys SET state = state_before_freeze, state_before_freeze = NULL
                WHERE batch_id = {batch.Id} AND state = {nameof(CardKeyState.Frozen)} AND state_before_freeze = {nameof(CardKeyState.Available)}
                RETURNING id)
            INSERT INTO card_key_events (card_key_id, kind, at, actor_user_id, detail)
            SELECT id, {nameof(CardKeyEventKind.Unfrozen)}, {now}, {operatorId}, {reason} FROM released
            """, cancellationToken);
        batch.IsFrozen = false;
        return new BatchFreezeResult(batch.Id, released);
    }
}
