using CardMall.Application.Features.Tickets;
using CardMall.Domain.Accounts;
using CardMall.Domain.Tickets;
using CardMall.Web.Errors;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Admin.Agents;

/// <summary>
/// /Admin/Agents: everyone who takes tickets switches their own duty at the top; supervisors see every
/// agent's duty, skills, load and new buyers below, and change duty and skills there. The duty switch in
/// the staff header posts here too (with a return address).
/// </summary>
[Authorize(Roles = ShopRoles.Agent + "," + ShopRoles.Supervisor + "," + ShopRoles.Admin)]
public sealed class IndexModel(IMediator mediator) : PageModel, IReloadsPageData
{
    public static readonly TicketCategory[] Categories = Enum.GetValues<TicketCategory>();

    public AgentDuty? Me { get; private set; }

    /// <summary>Null for agents: the table is for supervisors and admins.</summary>
    public IReadOnlyList<AgentView>? Agents { get; private set; }

    /// <summary>Which change was just saved: "duty" or "skills".</summary>
    [TempData]
    public string? Saved { get; set; }

    public bool CanManage => User.IsInRole(ShopRoles.Supervisor) || User.IsInRole(ShopRoles.Admin);

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostDutyAsync(bool onDuty, Guid? agentId, string? returnUrl, CancellationToken ct)
    {
        await mediator.Send(new SetOnDuty(onDuty, agentId), ct);
        // From the header's switch: back where the agent was; the switch itself shows the new state.
        if (returnUrl is { Length: > 0 } && Url.IsLocalUrl(returnUrl)) return LocalRedirect(returnUrl);
        // One's own switch shows its new state at the top; a change for a colleague is confirmed.
        if (agentId is not null) Saved = "duty";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostSkillsAsync(Guid agentId, TicketCategory[]? skills, CancellationToken ct)
    {
        await mediator.Send(new SetAgentSkills(agentId, skills ?? []), ct);
        Saved = "skills";
        return RedirectToPage();
    }

    /// <summary>A supervisor sets how many chats an agent answers at once (their availability stays as it is).</summary>
    public async Task<IActionResult> OnPostChatLimitAsync(Guid agentId, Domain.Chats.AgentAvailability availability, int chatLimit, CancellationToken ct)
    {
        await mediator.Send(new Application.Features.Chats.SetAvailability(availability, agentId, chatLimit), ct);
        Saved = "chatLimit";
        return RedirectToPage();
    }

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        Me = await mediator.Send(new GetMyDuty(), cancellationToken);
        if (CanManage) Agents = await mediator.Send(new ListAgents(), cancellationToken);
    }
}
