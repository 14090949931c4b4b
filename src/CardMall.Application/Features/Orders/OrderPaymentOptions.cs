namespace CardMall.Application.Features.Orders;

/// <summary>
/// Orders paid through a gateway (configuration section CardMall:OrderPayments): how long their keys stay reserved,
/// and how many a buyer may leave unpaid at once — reserved keys are nobody else's, so one account must not be
/// able to hold a product's stock hostage.
/// </summary>
public sealed class OrderPaymentOptions
{
    public const string Section = "CardMall:OrderPayments";

    /// <summary>The payment window: the keys are reserved this long, then the order expires and they return to stock.</summary>
    public TimeSpan PayWithin { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Orders one buyer may have awaiting payment at the same time.</summary>
    public int MaxAwaitingPerBuyer { get; set; } = 3;
}
