using CardMall.Application.Features.Risk;
using CardMall.Web.Hosting;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Admin.Suppliers;

/// <summary>
/// One supplier at /Admin/Suppliers/{code}: its scorecard (keys sold, defect rate, the interface's error rate
/// and latency over the last week, incidents still being worked, what it owes), its incidents and its
/// liability ledger.
/// </summary>
[Authorize(Policy = ShopWeb.OperatorPolicy)]
public sealed class DetailModel(IMediator mediator) : PageModel
{
    public SupplierPage View { get; private set; } = null!;

    public async Task OnGetAsync(string code, CancellationToken ct) => View = await mediator.Send(new GetSupplierScorecard(code), ct);
}
