using CardMall.Application.Abstractions;
using CardMall.Domain.Verification;
using MediatR;
using Microsoft.Extensions.Options;

namespace CardMall.Application.Features.Verification;

/// <summary>
/// The first step of <see cref="RunVerification"/>: the check is taken for one run in a short transaction of its own,
/// with SKIP LOCKED (a row another worker holds is theirs to finish). Its attempt is counted and it is not due again
/// before its back-off (<see cref="KeyVerification.TryClaim"/>), which is also the lease while the supplier is asked.
/// </summary>
public sealed record ClaimVerification(Guid VerificationId) : ICommand<VerificationClaim>;

internal sealed class ClaimVerificationHandler(ICardMallDb db, TimeProvider clock, IOptions<VerificationOptions> options)
    : IRequestHandler<ClaimVerification, VerificationClaim>
{
    public async Task<VerificationClaim> Handle(ClaimVerification request, CancellationToken ct)
    {
        var check = await db.Locks.TryLockAsync<KeyVerification>(request.VerificationId, ct);
        if (check is null) return new(null, new VerificationRun(request.VerificationId, Ran: false, null, null));
        if (!check.TryClaim(clock.GetUtcNow(), options.Value.RetryFirstAfter))
            return new(null, new VerificationRun(check.Id, Ran: false, check.Outcome, check.Answer));
        return new(check.Attempts, null);
    }
}

/// <summary>The attempt this run holds; or, when the check was not taken, what the run answers instead.</summary>
public sealed record VerificationClaim(int? Attempt, VerificationRun? NotRun);
