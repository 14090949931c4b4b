using CardMall.Application.Features.Tickets;
using CardMall.Domain.Accounts;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Admin.Templates;

/// <summary>The reply templates supervisors keep for agents (/Admin/Templates): active first, both languages.</summary>
[Authorize(Roles = ShopRoles.Supervisor + "," + ShopRoles.Admin)]
public sealed class IndexModel(IMediator mediator) : PageModel
{
    public IReadOnlyList<ReplyTemplateRow> Templates { get; private set; } = [];

    [TempData]
    public string? Saved { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => Templates = await mediator.Send(new ListReplyTemplates(), ct);
}
