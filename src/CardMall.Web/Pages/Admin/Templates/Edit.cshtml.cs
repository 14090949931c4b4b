using CardMall.Application.Features.Tickets;
using CardMall.Domain.Accounts;
using CardMall.Domain.Tickets;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Admin.Templates;

/// <summary>
/// Writes a new reply template (/Admin/Templates/Edit) or revises one (/Admin/Templates/Edit/{id}),
/// including switching it off. Both languages are required: the reply box shows the agent's language.
/// </summary>
[Authorize(Roles = ShopRoles.Supervisor + "," + ShopRoles.Admin)]
public sealed class EditModel(IMediator mediator) : PageModel
{
    [BindProperty]
    public TemplateInput Input { get; set; } = new();

    public Guid? Id { get; private set; }

    public (string? By, DateTimeOffset At)? LastUpdate { get; private set; }

    public async Task OnGetAsync(Guid? id, CancellationToken ct)
    {
        Id = id;
        if (id is not { } existing) return;
        var row = await mediator.Send(new GetReplyTemplate(existing), ct);
        Input = new TemplateInput
        {
            Title = row.Title,
            Category = row.Category,
            BodyZh = row.BodyZh,
            BodyEn = row.BodyEn,
            IsActive = row.IsActive,
        };
        LastUpdate = (row.UpdatedBy, row.UpdatedAt);
    }

    public async Task<IActionResult> OnPostAsync(Guid? id, CancellationToken ct)
    {
        Id = id;
        await mediator.Send(new SaveReplyTemplate(id, Input.Title, Input.Category, Input.BodyZh, Input.BodyEn, Input.IsActive), ct);
        TempData["Saved"] = Input.Title?.Trim();
        return RedirectToPage("/Admin/Templates/Index");
    }

    public sealed class TemplateInput
    {
        public string? Title { get; set; }
        public TicketCategory? Category { get; set; }
        public string? BodyZh { get; set; }
        public string? BodyEn { get; set; }
        public bool IsActive { get; set; } = true;
    }
}
