namespace CardMall.Application.Features.Wallet;

/// <summary>Manual wallet adjustments (CardMall:Wallet:Adjustments).</summary>
public sealed class AdjustmentOptions
{
    public const string Section = "CardMall:Wallet:Adjustments";

    /// <summary>
    /// An adjustment above this amount, credit or debit, waits for a second Operator or Admin (双人复核):
    /// no single member of staff moves more than this on their own word.
    /// </summary>
    public decimal FourEyesAmount { get; set; } = 1000m;
}
