using System.Globalization;
using CardMall.Application.Features.Catalog;
using CardMall.Application.Features.Orders;
using CardMall.Application.Features.Wallet;
using CardMall.Domain.Common;
using CardMall.Domain.Orders;
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
[Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = Hosting.CatalogueCaching.Pages)]
public sealed class DetailModel(IMediator mediator, PaymentChoices payments) : PageModel, IReloadsPageData
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

    /// <summary>A guest checkout's browser buys again as a guest (it has no wallet).</summary>
    public bool IsGuest => Identity.GuestSessions.IsGuest(User);

    /// <summary>The gateways a member may pay through instead of the wallet.</summary>
    public IReadOnlyList<string> Gateways => payments.Gateways;

    private string Sku => RouteData.Values["sku"] as string ?? "";

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        Input = new BuyInput
        {
            Quantity = Product.MinPerOrder.ToString(CultureInfo.InvariantCulture),
            IdempotencyKey = Guid.NewGuid().ToString("N"),
            NoticesVersion = Product.Notices.Version,
            Payment = Order.WalletPayment,
        };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // A product taken off sale since the page was shown is a 404 here, as on the GET.
        await LoadAsync(ct);
        try
        {
            var payment = Input.Payment is { Length: > 0 } chosen ? chosen : Order.WalletPayment;
            var order = await mediator.Send(new PlaceOrder(Sku, Input.QuantityNumber, Input.AcceptNotices, Input.IdempotencyKey, "web", RevealKeys: false,
                Input.NoticesVersion, payment, PaymentChoices.DeviceOf(Request)), ct);
            // Paid by a gateway: straight to its pay page (a path of this shop for the sandbox, another site for the real ones).
            if (order.PayUrl is { } payUrl) return Redirect(payUrl);
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

    /// <summary>The product's published usage tutorial, if it has one (no link to a page that is not there).</summary>
    public CardMall.Application.Features.KnowledgeBase.TutorialLink? Tutorial { get; private set; }

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        Product = await mediator.Send(new GetProduct(Sku), cancellationToken);
        Tutorial = await mediator.Send(new CardMall.Application.Features.KnowledgeBase.FindTutorial(Product.Sku), cancellationToken);
        if (SignedIn)
            Balance = (await mediator.Send(new GetWallet(), cancellationToken)).Balance;
    }

    public sealed class BuyInput
    {
        /// <summary>
        /// Text, not int: a number the framework cannot bind would add its own untranslated message;
        /// anything that is not a whole number reaches PlaceOrder as 0 and gets the shop's own words.
        /// </summary>
        public string? Quantity { get; set; }

        public int QuantityNumber => int.TryParse(Quantity, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;

        public bool AcceptNotices { get; set; }

        public string? IdempotencyKey { get; set; }

        /// <summary>The notices version shown with the form: what the buyer ticked.</summary>
        public int? NoticesVersion { get; set; }

        /// <summary>"wallet" or a gateway's code.</summary>
        public string? Payment { get; set; }
    }
}
