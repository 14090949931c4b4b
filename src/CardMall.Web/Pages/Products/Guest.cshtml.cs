using System.Globalization;
using CardMall.Application.Features.Catalog;
using CardMall.Application.Features.Guests;
using CardMall.Web.Errors;
using CardMall.Web.Hosting;
using CardMall.Web.Identity;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Products;

/// <summary>
/// Buying without an account at /Products/{sku}/Guest (docs/decisions/0039): quantity, e-mail, a lookup password,
/// the notices ticked and a gateway; the visitor goes straight to the gateway's pay page, signed in as the order's
/// guest account, and comes back to the order page. A member has a wallet and a buy form of their own: sent there.
/// </summary>
[RateLimitedPost(ShopLimit.GuestCheckout)]
public sealed class GuestModel(IMediator mediator, PaymentChoices payments, GuestSessions guests) : PageModel, IReloadsPageData
{
    [BindProperty]
    public GuestBuyInput Input { get; set; } = new();

    public ProductView Product { get; private set; } = null!;

    public IReadOnlyList<string> Gateways => payments.Gateways;

    private string Sku => RouteData.Values["sku"] as string ?? "";

    private bool IsMember => User.Identity?.IsAuthenticated == true && !GuestSessions.IsGuest(User);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (IsMember) return RedirectToPage("/Products/Detail", new { sku = Sku });
        await LoadAsync(ct);
        Input = new GuestBuyInput
        {
            Quantity = Product.MinPerOrder.ToString(CultureInfo.InvariantCulture),
            IdempotencyKey = Guid.NewGuid().ToString("N"),
            NoticesVersion = Product.Notices.Version,
            Payment = Gateways.Count > 0 ? Gateways[0] : null,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (IsMember) return RedirectToPage("/Products/Detail", new { sku = Sku });
        await LoadAsync(ct);
        var placed = await mediator.Send(new PlaceGuestOrder(Sku, Input.QuantityNumber, Input.AcceptNotices, Input.IdempotencyKey, Input.NoticesVersion,
            Input.Payment ?? "", PaymentChoices.DeviceOf(Request), Input.Email ?? "", Input.LookupPassword ?? "", CultureInfo.CurrentUICulture.Name), ct);
        await guests.SignInAsync(placed.GuestId);
        return placed.Order.PayUrl is { } payUrl ? Redirect(payUrl) : RedirectToPage("/Orders/Detail", new { orderNo = placed.Order.OrderNo });
    }

    public async Task LoadAsync(CancellationToken cancellationToken) =>
        Product = await mediator.Send(new GetProduct(Sku), cancellationToken);

    public sealed class GuestBuyInput
    {
        /// <summary>Text, not int, for the shop's own words on a bad number (as on the product page).</summary>
        public string? Quantity { get; set; }

        public int QuantityNumber => int.TryParse(Quantity, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;

        public string? Email { get; set; }

        public string? LookupPassword { get; set; }

        public bool AcceptNotices { get; set; }

        public string? Payment { get; set; }

        public string? IdempotencyKey { get; set; }

        public int? NoticesVersion { get; set; }
    }
}
