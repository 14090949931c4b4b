using CardMall.Application.Abstractions;
using CardMall.Domain.Wallets;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Wallet;

/// <summary>The caller's ledger, newest first: every movement of their money and what it was for.</summary>
public sealed record GetLedger(int Page, int PageSize = 20) : IRequest<Paged<LedgerLine>>;

public sealed class GetLedgerValidator : AbstractValidator<GetLedger>
{
    public GetLedgerValidator()
    {
        RuleFor(x => x.Page).InclusiveBetween(1, 100_000);
        RuleFor(x => x.PageSize).InclusiveBetween(1, 100);
    }
}

internal sealed class GetLedgerHandler(ICardMallDb db, ICurrentUser currentUser) : IRequestHandler<GetLedger, Paged<LedgerLine>>
{
    public async Task<Paged<LedgerLine>> Handle(GetLedger request, CancellationToken cancellationToken)
    {
        var userId = currentUser.RequireUserId();
        var mine = db.LedgerEntries.Where(e => e.UserId == userId);
        var total = await mine.CountAsync(cancellationToken);
        var items = await mine.OrderByDescending(e => e.Id)
            .Skip((request.Page - 1) * request.PageSize).Take(request.PageSize)
            .Select(e => new LedgerLine(e.At, e.Kind, e.Amount, e.BalanceAfter, e.Reference, e.Note))
            .ToListAsync(cancellationToken);
        return new Paged<LedgerLine>(items, request.Page, request.PageSize, total);
    }
}

public sealed record LedgerLine(DateTimeOffset At, LedgerKind Kind, decimal Amount, decimal BalanceAfter, string Reference, string? Note);

