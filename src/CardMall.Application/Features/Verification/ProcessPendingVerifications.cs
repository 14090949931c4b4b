using CardMall.Application.Abstractions;
using CardMall.Domain.Verification;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CardMall.Application.Features.Verification;

/// <summary>
/// One pass of the verification worker: the pending checks that are due (queued when key complaints were
/// filed, or due again after a back-off) are picked, oldest first, and each is run as its own
/// <see cref="RunVerification"/> — its own claim and transactions, so one supplier's trouble or one failed check
/// does not undo the others. A check that fails is due again only after its back-off, so a poisoned row never
/// stays at the head of the queue; after <see cref="VerificationOptions.MaxAttempts"/> it goes to a person.
/// Deliberately not an <see cref="ICommand{TResult}"/>: a command here would wrap every check in one
/// transaction (nested commands join the outer one).
/// </summary>
public sealed record ProcessPendingVerifications(int BatchSize = 20) : IRequest<VerificationPass>;

public sealed class ProcessPendingVerificationsValidator : AbstractValidator<ProcessPendingVerifications>
{
    public ProcessPendingVerificationsValidator() => RuleFor(x => x.BatchSize).InclusiveBetween(1, 500);
}

internal sealed class ProcessPendingVerificationsHandler(
    ICardMallDb db, IMediator mediator, TimeProvider clock, ILogger<ProcessPendingVerificationsHandler> logger)
    : IRequestHandler<ProcessPendingVerifications, VerificationPass>
{
    public async Task<VerificationPass> Handle(ProcessPendingVerifications request, CancellationToken cancellationToken)
    {
        // A row a run is working on is not due (its claim moved next_attempt_at on); one that slips through to two
        // passes anyway is run once: RunVerification claims it with SKIP LOCKED and never reruns a done one.
        var now = clock.GetUtcNow();
        var ids = await db.KeyVerifications
            .Where(x => x.Status == VerificationStatus.Pending && x.NextAttemptAt <= now)
            .OrderBy(x => x.NextAttemptAt).ThenBy(x => x.Id)
            .Select(x => x.Id)
            .Take(request.BatchSize)
            .ToListAsync(cancellationToken);

        int ran = 0, skipped = 0, failed = 0;
        foreach (var id in ids)
        {
            try
            {
                var run = await mediator.Send(new RunVerification(id), cancellationToken);
                if (run.Ran) ran++;
                else skipped++;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Verification {VerificationId} failed; it is tried again after its back-off", id);
                failed++;
            }
        }
        return new VerificationPass(ids.Count, ran, skipped, failed);
    }
}

/// <summary>What one pass did: checks picked, run to the end, left to another worker (or already done), failed.</summary>
public sealed record VerificationPass(int Picked, int Ran, int Skipped, int Failed);
