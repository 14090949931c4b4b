using CardMall.Application.Features.Orders;
using CardMall.Web.Pages.Products;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Orders;

/// <summary>
/// One of my orders at /Orders/{orderNo}: keys masked, revealed one at a time by a POST that records the
/// reveal and shows the code only in that response (never in a URL, TempData or a cache), and TXT/CSV
/// downloads. Somebody else's order number is a 404.
/// </summary>
[Authorize]
public sealed class DetailModel(IMediator mediator) : PageModel, CardMall.Web.Errors.IReloadsPageData
{
    public OrderView Order { get; private set; } = null!;

    /// <summary>The product's published usage tutorial, if it has one.</summary>
    public CardMall.Application.Features.KnowledgeBase.TutorialLink? Tutorial { get; private set; }

    /// <summary>The key revealed by this POST, if any.</summary>
    public RevealedKey? Revealed { get; private set; }

    /// <summary>The buyer arrives here straight from the buy form.</summary>
    public bool JustPlaced { get; private set; }

    /// <summary>How many guest orders a claim just took into the account (the claim lands here).</summary>
    public int? Claimed { get; private set; }

    private string OrderNo => RouteData.Values["orderNo"] as string ?? "";

    public async Task OnGetAsync(CancellationToken ct)
    {
        Order = await mediator.Send(new GetOrder(OrderNo), ct);
        Tutorial = await mediator.Send(new CardMall.Application.Features.KnowledgeBase.FindTutorial(Order.Sku), ct);
        JustPlaced = TempData[Products.DetailModel.JustPlacedKey] is true;
        Claimed = TempData[Lookup.ClaimModel.ClaimedKey] as int?;
    }

    public async Task<IActionResult> OnPostRevealAsync(Guid itemId, CancellationToken ct)
    {
        Revealed = await mediator.Send(new RevealKey(OrderNo, itemId), ct);
        Order = await mediator.Send(new GetOrder(OrderNo), ct);
        Tutorial = await mediator.Send(new CardMall.Application.Features.KnowledgeBase.FindTutorial(Order.Sku), ct);
        // The page now holds a key: no browser or proxy may keep a copy of it.
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    /// <summary>A refused reveal (the key is frozen) shows the order again with the reason.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        Order = await mediator.Send(new GetOrder(OrderNo), cancellationToken);
        Tutorial = await mediator.Send(new CardMall.Application.Features.KnowledgeBase.FindTutorial(Order.Sku), cancellationToken);
    }

    public async Task<IActionResult> OnPostDownloadAsync(string? format, CancellationToken ct)
    {
        var file = await mediator.Send(new DownloadKeys(OrderNo, format == "csv" ? "csv" : "txt"), ct);
        Response.Headers.CacheControl = "no-store";
        return File(file.Content, file.ContentType + "; charset=utf-8", file.FileName);
    }
}
