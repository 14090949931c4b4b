using CardMall.Application.Features.Wallet;
using MediatR;

namespace CardMall.Web.Api;

public static class WalletApi
{
    public static void MapWalletApi(this RouteGroupBuilder api)
    {
        api.MapGet("/wallet", async (IMediator mediator, CancellationToken ct) =>
        {
            var wallet = await mediator.Send(new GetWallet(), ct);
            return Results.Ok(new { wallet.Balance, wallet.Currency });
        });

        api.MapGet("/wallet/ledger", async (int? page, IMediator mediator, CancellationToken ct) =>
        {
            var ledger = await mediator.Send(new GetLedger(page ?? 1), ct);
            return Results.Ok(new
            {
                Items = ledger.Items.Select(e => new { e.At, e.Kind, e.Amount, e.BalanceAfter, e.Reference }),
                ledger.Page,
                ledger.Total,
            });
        });
    }
}
