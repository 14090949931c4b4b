using CardMall.Application.Abstractions;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Wallet;

/// <summary>The caller's balance (GET /api/v1/wallet, the wallet page).</summary>
public sealed record GetWallet : IRequest<WalletView>;

internal sealed class GetWalletHandler(ICardMallDb db, ICurrentUser currentUser) : IRequestHandler<GetWallet, WalletView>
{
    public async Task<WalletView> Handle(GetWallet request, CancellationToken cancellationToken)
    {
        var userId = currentUser.RequireUserId();
        var balance = await db.Wallets.Where(w => w.UserId == userId).Select(w => (decimal?)w.Balance).FirstOrDefaultAsync(cancellationToken);
        return new WalletView(balance ?? 0m, "CNY");
    }
}

public sealed record WalletView(decimal Balance, string Currency);
