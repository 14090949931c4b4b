using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Wallets;

namespace CardMall.Application.Features.Wallet;

/// <summary>The gateway payment of a top-up: its amount, deadline, the subject the cashier shows, and the page the buyer returns to.</summary>
internal static class TopUpPayment
{
    public static PaymentRequest Request(TopUp topUp) =>
        new(topUp.No, topUp.Amount, topUp.ExpiresAt, AppText.Format("TopUp.PaymentSubject", topUp.Amount), "/Wallet/TopUp/" + Uri.EscapeDataString(topUp.No));
}
