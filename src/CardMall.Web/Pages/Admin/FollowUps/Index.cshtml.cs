using CardMall.Application.Features.Tickets;
using CardMall.Domain.Accounts;
using CardMall.Web.Errors;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Admin.FollowUps;

/// <summary>
/// /Admin/FollowUps: the follow-ups (回访) for low ratings, each with its ticket, the buyer's rating and
/// comment; a supervisor writes down what was done and completes it. ?done=true lists the completed ones.
/// </summary>
[Authorize(Roles = ShopRoles.Supervisor + "," + ShopRoles.Admin)]
public sealed class IndexModel(IMediator mediator) : PageModel, IReloadsPageData
{
    [BindProperty]
    public CompleteInput Input { get; set; } = new();

    /// <summary>The completed ones (?done=true) instead of the open ones.</summary>
    public bool Done { get; private set; }

    public IReadOnlyList<FollowUpTaskView> Tasks { get; private set; } = [];

    [TempData]
    public string? Completed { get; set; }

    /// <summary>A live chat's follow-up (that did not become a ticket) was completed.</summary>
    [TempData]
    public bool CompletedChat { get; set; }

    public Task OnGetAsync(bool done, CancellationToken ct)
    {
        Done = done;
        return LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var done = await mediator.Send(new CompleteFollowUpTask(Input.TaskId, Input.Note ?? ""), ct);
        Completed = done.TicketNo;
        CompletedChat = done.TicketNo is null;
        return RedirectToPage();
    }

    public async Task LoadAsync(CancellationToken cancellationToken) => Tasks = await mediator.Send(new ListFollowUpTasks(Done), cancellationToken);

    public sealed class CompleteInput
    {
        public Guid TaskId { get; set; }
        public string? Note { get; set; }
    }
}
