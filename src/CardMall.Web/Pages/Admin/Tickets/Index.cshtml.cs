using CardMall.Application.Features.Tickets;
using CardMall.Domain.Accounts;
using CardMall.Domain.Tickets;
using CardMall.Web.Errors;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Admin.Tickets;

/// <summary>
/// The ticket queue at /Admin/Tickets: filters in the address (so a filtered queue can be bookmarked
/// and shared), the nearest promise first, live countdowns, and a claim button on unassigned tickets.
/// </summary>
[Authorize(Roles = ShopRoles.TicketWorkList)]
public sealed class IndexModel(IMediator mediator, TimeProvider clock) : PageModel, IReloadsPageData
{
    [BindProperty(SupportsGet = true)] public bool Mine { get; set; }
    [BindProperty(SupportsGet = true)] public bool Unassigned { get; set; }
    [BindProperty(SupportsGet = true)] public bool Breached { get; set; }
    [BindProperty(SupportsGet = true)] public TicketStatus? Status { get; set; }
    [BindProperty(SupportsGet = true)] public TicketCategory? Category { get; set; }
    [BindProperty(SupportsGet = true)] public TicketPriority? Priority { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sku { get; set; }
    [BindProperty(SupportsGet = true)] public int PageNo { get; set; } = 1;

    public TicketQueue Queue { get; private set; } = new(new([], 1, 30, 0), [], 0, 0, 0, Guid.Empty);

    public DateTimeOffset Now { get; private set; }

    [TempData]
    public string? Claimed { get; set; }

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostClaimAsync(string ticketNo, CancellationToken ct)
    {
        await mediator.Send(new ClaimTicket(ticketNo), ct);
        Claimed = ticketNo;
        return RedirectToPage(Filters());
    }

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        Now = clock.GetUtcNow();
        Queue = await mediator.Send(new ListTicketQueue(Mine, Unassigned, Breached, Status, Category, Priority,
            string.IsNullOrWhiteSpace(Sku) ? null : Sku.Trim(), Math.Clamp(PageNo, 1, 100_000)), cancellationToken);
    }

    /// <summary>The current filters as route values, for the pager, the quick filters and the claim form.</summary>
    public Dictionary<string, string> Filters(int? pageNo = null)
    {
        var values = new Dictionary<string, string>();
        if (Mine) values["mine"] = "true";
        if (Unassigned) values["unassigned"] = "true";
        if (Breached) values["breached"] = "true";
        if (Status is { } s) values["status"] = s.ToString();
        if (Category is { } c) values["category"] = c.ToString();
        if (Priority is { } p) values["priority"] = p.ToString();
        if (!string.IsNullOrWhiteSpace(Sku)) values["sku"] = Sku.Trim();
        if ((pageNo ?? PageNo) > 1) values["pageNo"] = (pageNo ?? PageNo).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return values;
    }

    /// <summary>The claim button's address: the ticket plus the filters, so the queue comes back as it was.</summary>
    public Dictionary<string, string> ClaimRoute(string ticketNo)
    {
        var values = Filters();
        values["ticketNo"] = ticketNo;
        return values;
    }

    public bool AnyFilter => Mine || Unassigned || Breached || Status is not null || Category is not null || Priority is not null || !string.IsNullOrWhiteSpace(Sku);
}
