using CardMall.Application.Features.Tickets;
using CardMall.Domain.Accounts;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Tickets;

/// <summary>My tickets at /Tickets: where each one stands and what was promised, newest first.</summary>
[Authorize]
public sealed class IndexModel(IMediator mediator, TimeProvider clock) : PageModel
{
    public MyTicketList List { get; private set; } = null!;

    public bool IsReseller => User.IsInRole(ShopRoles.Reseller);

    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>The page is "p", not "page": Razor Pages reserves that route value.</summary>
    public async Task OnGetAsync(int p = 1, CancellationToken ct = default) =>
        List = await mediator.Send(new ListMyTickets(Math.Clamp(p, 1, 100_000)), ct);
}
