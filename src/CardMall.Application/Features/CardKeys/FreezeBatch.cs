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

internal sealed class FreezeBatchHandler(ICardMallDb db, ICurrentUser currentUser, TimeProvider clock) : IRequestHandler<FreezeBatch, BatchFreezeResult>
{
    public async Task<BatchFreezeResult> Handle(FreezeBatch request, CancellationToken cancellationToken)
    {
        var operatorId = currentUser.RequireAnyRole(ShopRoles.Operator, ShopRoles.Admin);
        // The batch row is locked so that a freeze and an unfreeze of one batch take turns.
        var batch = (await db.KeyBatches.FromSql($"SELECT * FROM key_batches WHERE id = {request.BatchId} FOR UPDATE").ToListAsync(cancellationToken))
            .FirstOrDefault() ?? throw new NotFoundException(AppText.Get("CardKeys.BatchNotFound"));
        if (batch.IsFrozen)
            throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Get("Admin.Batches.AlreadyFrozen"));

        // CardKey.Freeze for a whole batch in one statement (a batch can hold 100,000 keys): the state
        // moves to Frozen remembering Available, and one event per key carries who and why. A key that
        // a checkout holds is waited for and then skipped, because it is no longer Available.
        var now = clock.GetUtcNow();
        var reason = request.Reason.Trim();
        var frozen = await db.Database.ExecuteSqlAsync($"""
            WITH frozen AS (
                UPDATE card_keys SET state = {nameof(CardKeyState.Frozen)}, state_before_freeze = state
                WHERE batch_id = {batch.Id} AND state = {nameof(CardKeyState.Available)}
                RETURNING id)
            INSERT INTO card_key_events (card_key_id, kind, at, actor_user_id, detail)
            SELECT id, {nameof(CardKeyEventKind.Frozen)}, {now}, {operatorId}, {reason} FROM frozen
            """, cancellationToken);
        batch.IsFrozen = true;
        return new BatchFreezeResult(batch.Id, frozen);
    }
}

/// <summary>How many keys a freeze or an unfreeze changed.</summary>
public sealed record BatchFreezeResult(Guid BatchId, int KeysChanged);
