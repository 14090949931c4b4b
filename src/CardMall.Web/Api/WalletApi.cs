using CardMall.Application.Features.Wallet;
using CardMall.Domain.Common;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CardMall.Web.Api;

public static class WalletApi
{
    public sealed record Wallet(decimal Balance, string Currency);

    /// <summary>One movement of the wallet; <c>reference</c> names what caused it (an order, a refund, a top-up).</summary>
    public sealed record LedgerEntry(DateTimeOffset At, CardMall.Domain.Wallets.LedgerKind Kind, decimal Amount, decimal BalanceAfter, string Reference);

    public sealed record LedgerPage(IReadOnlyList<LedgerEntry> Items, int Page, int Total);

    public static void MapWalletApi(this RouteGroupBuilder api)
    {
        api.MapGet("/wallet", async Task<Ok<Wallet>> (IMediator mediator, CancellationToken ct) =>
        {
            var wallet = await mediator.Send(new GetWallet(), ct);
            return TypedResults.Ok(new Wallet(wallet.Balance, wallet.Currency));
        })
        .WithName("GetWallet").WithSummary("The wallet's balance").WithTags(ApiDocument.Tag.Wallet);

        api.MapGet("/wallet/ledger", async Task<Ok<LedgerPage>> (int? page, IMediator mediator, CancellationToken ct) =>
        {
            var ledger = await mediator.Send(new GetLedger(page ?? 1), ct);
            return TypedResults.Ok(new LedgerPage(
                [.. ledger.Items.Select(e => new LedgerEntry(e.At, e.Kind, e.Amount, e.BalanceAfter, e.Reference))], ledger.Page, ledger.Total));
        })
        .WithName("GetWalletLedger").WithSummary("The wallet's movements, newest first, a page at a time").WithTags(ApiDocument.Tag.Wallet)
        .Problems(ErrorCodes.ValidationFailed);
    }
}
