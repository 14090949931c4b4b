using CardMall.Application.Features.Catalog;
using CardMall.Application.Features.Orders;
using CardMall.Application.Features.Wallet;
using CardMall.Domain.Common;
using CardMall.Web.Errors;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Products;

/// <summary>
/// A product page at /Products/{sku}: price for the visitor's tier, stock, limits, the pre-purchase
/// notices, and the buy form. The form carries an idempotency key made when the page was rendered, so
/// a double submission returns the order the first one created.
/// </summary>
public sealed class ProductDetailModel(IMediator mediator) : PageModel, IReloadsPageData
{
    /// <summary>Tells the order page it was reached straight after buying (a flag, never key data).</summary>
    public const string JustPlacedKey = "Order.JustPlaced";

    [BindProperty]
    public BuyInput Input { get; set; } = new();

    public ProductView Product { get; private set; } = null!;

    /// <summary>The signed-in buyer's wallet balance; null for visitors.</summary>
    public decimal? Balance { get; private set; }

    /// <summary>The purchase was refused for lack of money: the page offers a top-up.</summary>
    public bool NeedsTopUp { get; private set; }

    public bool SignedIn => User.Identity?.IsAuthenticated == true;

    private string Sku => RouteData.Values["sku"] as string ?? "";

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        Input = new BuyInput { Quantity = Product.MinPerOrder, IdempotencyKey = Guid.NewGuid().ToString("N") };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        try
        {
            var order = await mediator.Send(new PlaceOrder(Sku, Input.Quantity ?? 0, Input.AcceptNotices, Input.IdempotencyKey, "web", RevealKeys: false), ct);
            TempData[JustPlacedKey] = true;
            return RedirectToPage("/Orders/Detail", new { orderNo = order.OrderNo });
        }
        catch (DomainRuleException rule) when (rule.Code == ErrorCodes.InsufficientBalance)
        {
            // Said here in the buyer's words, with the way out (a top-up) next to it.
            NeedsTopUp = true;
            await LoadAsync(ct);
            return Page();
        }
    }

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        Product = await mediator.Send(new GetProduct(Sku), cancellationToken);
        if (SignedIn)
            Balance = (await mediator.Send(new GetWallet(), cancellationToken)).Balance;
    }

    public sealed class BuyInput
    {
        public int? Quantity { get; set; }

        public bool AcceptNotices { get; set; }

        public string? IdempotencyKey { get; set; }
    }
}
