using CardMall.Application.Features.Chats;
using CardMall.Domain.Accounts;
using CardMall.Domain.Chats;
using CardMall.Domain.Tickets;
using CardMall.Web.Errors;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Admin.Chats;

/// <summary>
/// The agent console at /Admin/Chats/{id}: one's availability, offers to accept (30 s), the chats one has (several at
/// once), the open chat with its reply box and the buyer beside it; supervisors also see the live queue and every active
/// chat, to take over or join. Actions are form posts that come back here; chat-console.js makes it live.
/// </summary>
[Authorize(Roles = ShopRoles.TicketWorkList)]
public sealed class IndexModel(IMediator mediator) : PageModel, IReloadsPageData
{
    public static readonly TicketCategory[] Skills = Enum.GetValues<TicketCategory>();

    [BindProperty]
    public ConsoleInput Input { get; set; } = new();

    public ChatDeskView Desk { get; private set; } = null!;

    public ChatView? Chat { get; private set; }

    public ChatBuyerPanel? Buyer { get; private set; }

    public Guid? Me => Guid.TryParse(User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value, out var id) ? id : null;

    private Guid? Id => RouteData.Values["id"] is string id && Guid.TryParse(id, out var g) ? g : null;

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    /// <summary>The left column alone, which the console's script fetches again when offers, chats or the queue change.</summary>
    public async Task<IActionResult> OnGetDeskAsync(CancellationToken ct)
    {
        Desk = await mediator.Send(new GetChatDesk(), ct);
        Response.Headers.CacheControl = "no-store";
        return Partial("_Desk", this);
    }

    public async Task<IActionResult> OnPostAvailabilityAsync(AgentAvailability availability, CancellationToken ct)
    {
        await mediator.Send(new SetAvailability(availability), ct);
        return Back(Id);
    }

    public async Task<IActionResult> OnPostAcceptAsync(Guid chatId, CancellationToken ct) => Back(await mediator.Send(new AcceptChat(chatId), ct));

    public async Task<IActionResult> OnPostTakeOverAsync(Guid chatId, CancellationToken ct) => Back(await mediator.Send(new TakeOverChat(chatId), ct));

    public async Task<IActionResult> OnPostAnswerAsync(CancellationToken ct)
    {
        await mediator.Send(new AnswerChat(RequireId(), Input.Body ?? "", Input.Internal), ct);
        return Back(Id);
    }

    public async Task<IActionResult> OnPostTransferAsync(CancellationToken ct)
    {
        await mediator.Send(new TransferChat(RequireId(), Input.ToAgentId, Input.ToSkill), ct);
        return Back(null);
    }

    public async Task<IActionResult> OnPostEndAsync(CancellationToken ct)
    {
        await mediator.Send(new EndChat(RequireId(), ByStaff: true), ct);
        return Back(Id);
    }

    public async Task<IActionResult> OnPostTicketAsync(CancellationToken ct)
    {
        await mediator.Send(new TurnChatIntoTicket(RequireId(), ByStaff: true), ct);
        return Back(Id);
    }

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        Desk = await mediator.Send(new GetChatDesk(), cancellationToken);
        if (Id is not { } id) return;
        Chat = await mediator.Send(new GetChat(id, AsStaff: true), cancellationToken);
        Buyer = await mediator.Send(new GetChatBuyerPanel(id), cancellationToken);
    }

    /// <summary>Whether the open chat is the signed-in person's to answer (a supervisor may join anybody's).</summary>
    public bool MayWrite => Chat?.State is { Status: "active" } s && (s.AgentId == Me || User.IsInRole(ShopRoles.Supervisor) || User.IsInRole(ShopRoles.Admin));

    private Guid RequireId() => Id ?? throw new Domain.Common.NotFoundException(Application.Localization.AppText.Get("Chats.NotFound"));

    private RedirectToPageResult Back(Guid? chatId) => RedirectToPage("/Admin/Chats/Index", new { id = chatId });

    public sealed class ConsoleInput
    {
        public string? Body { get; set; }
        public bool Internal { get; set; }
        public Guid? ToAgentId { get; set; }
        public TicketCategory? ToSkill { get; set; }
    }
}
