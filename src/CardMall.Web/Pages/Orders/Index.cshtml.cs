using CardMall.Application.Abstractions;
using CardMall.Application.Features.Orders;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Orders;

/// <summary>My orders at /Orders, newest first, 20 to a page (?p=2: "page" is a route value Razor Pages keeps for itself).</summary>
[Authorize]
public sealed class IndexModel(IMediator mediator) : PageModel
{
    public const int PageSize = 20;

    public Paged<OrderSummary> Orders { get; private set; } = null!;

    public async Task OnGetAsync(int? p, CancellationToken ct) =>
        // A hand-typed page number out of range shows the nearest real page instead of an error.
        Orders = await mediator.Send(new ListOrders(Math.Clamp(p ?? 1, 1, 100_000), PageSize, ExactTotal: false), ct);
}
