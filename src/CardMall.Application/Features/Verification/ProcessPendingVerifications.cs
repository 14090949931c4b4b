using CardMall.Application.Abstractions;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CardMall.Application.Features.Verification;

/// <summary>
/// One pass of the verification worker: the oldest pending checks (queued when key complaints were filed)
/// are picked, skipping any another node is running right now, and each is run as its own
/// <see cref="RunVerification"/> — its own transaction, so one supplier's trouble or one failed check does
/// not undo the others, and a check that failed is simply picked again by the next pass.
/// Deliberately not an <see cref="ICommand{TResult}"/>: a command here would wrap every check in one
/// transaction (nested commands join the outer one).
/// </summary>
public sealed record ProcessPendingVerifications(int BatchSize = 20) : IRequest<VerificationPass>;

public sealed class ProcessPendingVerificationsValidator : AbstractValidator<ProcessPendingVerifications>
{
    public ProcessPendingVerificationsValidator() => RuleFor(x => x.BatchSize).InclusiveBetween(1, 500);
}

internal sealed class ProcessPendingVerificationsHandler(ICardMallDb db, IMediator mediator, ILogger<ProcessPendingVerificationsHandler> logger)
    : IRequestHandler<ProcessPendingVerifications, VerificationPass>
{
    public async Task<VerificationPass> Handle(ProcessPendingVerifications request, CancellationToken cancellationToken)
    {
        // SKIP LOCKED leaves out rows a check elsewhere holds; a row that slips through to two passes anyway
        // is run once: RunVerification takes it with SKIP LOCKED again and never reruns a done one.
        var ids = await db.Database.SqlQuery<Guid>($"""
            SELECT id AS "Value" FROM key_verifications
            WHERE status = 'Pending'
            ORDER BY requested_at, id
            LIMIT {request.BatchSize}
            FOR UPDATE SKIP LOCKED
            """).ToListAsync(cancellationToken);

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
                logger.LogWarning(ex, "Verification {VerificationId} failed; the next pass tries again", id);
                failed++;
            }
        }
        return new VerificationPass(ids.Count, ran, skipped, failed);
    }
}

/// <summary>What one pass did: checks picked, run to the end, left to another worker (or already done), failed.</summary>
public sealed record VerificationPass(int Picked, int Ran, int Skipped, int Failed);
