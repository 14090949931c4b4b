using CardMall.Application.Features.Orders;
using CardMall.Application.Features.Tickets;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using CardMall.Web.Api;
using CardMall.Web.Errors;
using CardMall.Web.Hosting;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace CardMall.Web.Pages.Tickets;

/// <summary>
/// The new-ticket form at /Tickets/New. "Report a problem" on a key lands here with ?order=…&amp;item=…
/// preselected. Changing the order or the problem type posts the form back (the Refresh handler) to show
/// that order's keys and the help articles that fit, keeping what was typed; submitting files the ticket.
/// </summary>
[Authorize]
[RateLimitedPost(ShopLimit.TicketWriting, Handler = "")]
[RequestSizeLimit(MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxRequestBytes)]
public sealed class NewModel(IMediator mediator, IOptions<AfterSalesOptions> options) : PageModel, IReloadsPageData
{
    /// <summary>Five images of 5 MB and the text around them, with room for one image too many to be refused politely.</summary>
    public const long MaxRequestBytes = 40L * 1024 * 1024;

    [BindProperty]
    public TicketInput Input { get; set; } = new();

    public IReadOnlyList<OrderSummary> Orders { get; private set; } = [];

    /// <summary>The chosen order with its keys (masked); null until one is chosen.</summary>
    public OrderView? Order { get; private set; }

    public IReadOnlyList<ArticleSuggestion> Suggestions { get; private set; } = [];

    public AfterSalesOptions Limits => options.Value;

    public async Task OnGetAsync(string? order, Guid? item, string? category, CancellationToken ct)
    {
        Input.OrderNo = order?.Trim();
        if (item is { } id) Input.ItemIds = [id];
        Input.Category = category;
        await LoadAsync(ct);
    }

    /// <summary>The order or problem type changed: show its keys and articles, file nothing.</summary>
    public async Task<IActionResult> OnPostRefreshAsync(CancellationToken ct)
    {
        ModelState.Clear();
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var evidence = await EvidenceFiles.ReadAsync(Input.Images, Limits.MaxAttachmentBytes, ct);
        // An unknown type goes to the use case as a value outside the enum, so its validator words the error with the others.
        var category = TicketSlugs.TryParse<TicketCategory>(Input.Category, out var parsed) ? parsed : (TicketCategory)(-1);
        try
        {
            var created = await mediator.Send(new CreateTicket(Input.OrderNo ?? "", Input.ItemIds, category, Input.Description ?? "",
                Input.Device, evidence), ct);
            TempData[DetailModel.FlashKey] = "MyTickets.Flash.Created";
            return RedirectToPage("/Tickets/Detail", new { ticketNo = created.TicketNo });
        }
        catch (OpenTicketExistsException open)
        {
            // One open ticket per key: the buyer is taken to it, and told why, instead of filing the same complaint twice.
            TempData[DetailModel.FlashKey] = "MyTickets.Flash.JoinedOpen";
            return RedirectToPage("/Tickets/Detail", new { ticketNo = open.TicketNo });
        }
    }

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        Orders = (await mediator.Send(new ListOrders(1, 50), cancellationToken)).Items;
        if (!string.IsNullOrWhiteSpace(Input.OrderNo))
        {
            try
            {
                Order = await mediator.Send(new GetOrder(Input.OrderNo.Trim()), cancellationToken);
            }
            catch (NotFoundException e)
            {
                // Not one of the buyer's orders: the form says so and shows nothing of it.
                ModelState.AddModelError("Input.OrderNo", e.Message);
                Input.OrderNo = null;
            }
        }
        // An older order reached through its "report a problem" link is not among the fifty most recent.
        if (Order is not null && Orders.All(o => o.OrderNo != Order.OrderNo))
            Orders = [new OrderSummary(Order.OrderNo, Order.Status, Order.Total, Order.CreatedAt, Order.Sku, Order.ProductName, Order.Quantity), .. Orders];
        TicketCategory? category = TicketSlugs.TryParse<TicketCategory>(Input.Category, out var parsed) ? parsed : null;
        if (Order is not null || category is not null)
            Suggestions = await mediator.Send(new SuggestArticles(Order?.Sku, category), cancellationToken);
    }

    public sealed class TicketInput
    {
        public string? OrderNo { get; set; }
        public List<Guid> ItemIds { get; set; } = [];
        /// <summary>snake_case, as in the API: key_invalid …</summary>
        public string? Category { get; set; }
        public string? Description { get; set; }
        public string? Device { get; set; }
        public List<IFormFile> Images { get; set; } = [];
    }
}
