using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Wallets;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Wallet;

/// <summary>
/// An operator looks up a customer by e-mail before adjusting their wallet: who they are, their balance
/// and their latest ledger lines with who posted each one and why.
/// </summary>
public sealed record FindWalletAccount(string Email, int Lines = 20) : IRequest<WalletAccount>;

public sealed class FindWalletAccountValidator : AbstractValidator<FindWalletAccount>
{
    public FindWalletAccountValidator()
    {
        RuleFor(x => x.Email).NotEmpty().WithMessage(_ => AppText.Get("Admin.Wallets.EmailRequired"))
            .MaximumLength(256).WithMessage(_ => AppText.Get("Admin.Wallets.AccountNotFound"));
        RuleFor(x => x.Lines).InclusiveBetween(1, 200);
    }
}

internal sealed class FindWalletAccountHandler(ICardMallDb db, ICurrentUser currentUser) : IRequestHandler<FindWalletAccount, WalletAccount>
{
    public async Task<WalletAccount> Handle(FindWalletAccount request, CancellationToken cancellationToken)
    {
        currentUser.RequireAnyRole(ShopRoles.Operator, ShopRoles.Admin);
        // Identity stores e-mails normalised to upper case (its default normaliser), with a unique index.
        var normalized = request.Email.Trim().ToUpperInvariant();
        var user = await db.Users.AsNoTracking()
            .Where(u => u.NormalizedEmail == normalized)
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.Tier })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(request.Email), AppText.Get("Admin.Wallets.AccountNotFound"))]);
        var balance = await db.Wallets.Where(w => w.UserId == user.Id).Select(w => (decimal?)w.Balance).FirstOrDefaultAsync(cancellationToken) ?? 0m;
        var total = await db.LedgerEntries.CountAsync(e => e.UserId == user.Id, cancellationToken);
        var lines = await (from e in db.LedgerEntries.AsNoTracking()
                           where e.UserId == user.Id
                           join a in db.Users on e.ActorUserId equals a.Id into actors
                           from a in actors.DefaultIfEmpty()
                           orderby e.Id descending
                           select new StaffLedgerLine(e.At, e.Kind, e.Amount, e.BalanceAfter, e.Reference, e.Note, a == null ? null : a.Email))
            .Take(request.Lines)
            .ToListAsync(cancellationToken);
        return new WalletAccount(user.Id, user.Email ?? "", user.DisplayName, user.Tier, balance, lines, total);
    }
}

/// <summary>A ledger line as staff see it: also who posted it (an operator, for adjustments).</summary>
public sealed record StaffLedgerLine(DateTimeOffset At, LedgerKind Kind, decimal Amount, decimal BalanceAfter, string Reference, string? Note, string? PostedBy);

public sealed record WalletAccount(Guid UserId, string Email, string DisplayName, MemberTier Tier, decimal Balance, IReadOnlyList<StaffLedgerLine> Lines, int TotalLines);
