using CardMall.Application.Features.Admin;
using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Admin;

public sealed class IndexModel(IMediator mediator) : PageModel
{
    public StaffOverview Overview { get; private set; } = new(0, [], []);

    public async Task OnGetAsync(CancellationToken ct) => Overview = await mediator.Send(new GetStaffOverview(), ct);
}
