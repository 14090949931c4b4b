using System.Globalization;
using CardMall.Domain.Common;

namespace CardMall.Web.Pages.Products;

/// <summary>
/// How the storefront writes money and times: yuan with two decimals whatever the page's language,
/// and Beijing time whatever the server's zone (the shop's buyers are in China).
/// </summary>
public static class ShopDisplay
{

    public static string Yuan(decimal amount) => "¥" + amount.ToString("#,0.00", CultureInfo.InvariantCulture);

    public static string Local(DateTimeOffset at) =>
        ShopTime.Minutes(at);

    public static string LocalDate(DateTimeOffset at) =>
        ShopTime.Day(at);

    public static string CategoryIcon(string slug) => slug switch
    {
        "game-cards" => "bi-controller",
        "activation-codes" => "bi-key",
        "memberships" => "bi-gem",
        _ => "bi-bag",
    };

    /// <summary>The knowledge-base article that explains how to use a product (/Help/tutorial-&lt;sku&gt;).</summary>
}
