using CardMall.Application.Abstractions;
using CardMall.Domain.Verification;
using FluentValidation;
using MediatR;

namespace CardMall.Application.Features.Verification;

/// <summary>
/// Completes one key check (卡密核验), as the worker does for filed tickets and the agent's "verify" button does at
/// once — in three steps, so that no row lock or connection is held while the supplier's interface is called over HTTP:
/// <list type="number">
/// <item><see cref="ClaimVerification"/> — a short transaction takes the check (a row another worker is running is
/// left to it, a done one is never run again), counts the attempt and sets its lease and back-off;</item>
/// <item><see cref="AskSupplier"/> — our own records are read and the supplier is asked, outside any transaction
/// (a missing gateway, timeout or error is an answer too: unreachable);</item>
/// <item><see cref="ApplyVerificationAnswer"/> — one transaction locks the check and the ticket, lets
/// <see cref="VerificationPolicy"/> decide, and calls <c>Ticket.ApplyVerification</c>.</item>
/// </list>
/// Deliberately not an <see cref="ICommand{TResult}"/>: a command would wrap the supplier call in its transaction.
/// </summary>
public sealed record RunVerification(Guid VerificationId) : IRequest<VerificationRun>;

public sealed class RunVerificationValidator : AbstractValidator<RunVerification>
{
    public RunVerificationValidator() => RuleFor(x => x.VerificationId).NotEmpty();
}

internal sealed class RunVerificationHandler(ICardMallDb db, IMediator mediator) : IRequestHandler<RunVerification, VerificationRun>
{
    public async Task<VerificationRun> Handle(RunVerification request, CancellationToken ct)
    {
        // Inside a caller's transaction the supplier call would hold its connection and row locks for as long as the supplier takes.
        if (db.Database.CurrentTransaction is not null)
            throw new InvalidOperationException("A key check asks its supplier outside any database transaction; send RunVerification on its own.");

        var claim = await mediator.Send(new ClaimVerification(request.VerificationId), ct);
        if (claim.Attempt is not { } attempt) return claim.NotRun!;
        var asked = await mediator.Send(new AskSupplier(request.VerificationId, attempt), ct);
        return await mediator.Send(new ApplyVerificationAnswer(request.VerificationId, attempt, asked.Facts, asked.Supplier), ct);
    }
}

/// <summary>
/// What one run did. <see cref="Ran"/> is false when the check was already done (its earlier outcome is
/// given) or another worker is running it right now.
/// </summary>
public sealed record VerificationRun(Guid VerificationId, bool Ran, VerificationOutcome? Outcome, SupplierAnswer? Answer);
