using CardMall.Application.Features.Risk;
using CardMall.Application.Features.Tickets;
using CardMall.Application.Features.Verification;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Tickets;
using CardMall.Web.Errors;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Admin.Tickets;

/// <summary>
/// The agent's ticket page at /Admin/Tickets/{ticketNo}: the conversation with internal notes, the
/// reply box with templates, the resolve form, and beside them the SLA clock, the buyer, the order and
/// each key's history. Every form is an ordinary post that comes back here; a refused one shows its
/// errors in place. <c>?template=&lt;id&gt;</c> fills the reply box with a template without any script.
/// </summary>
[Authorize(Roles = ShopRoles.TicketWorkList)]
public sealed class DetailModel(IMediator mediator, TimeProvider clock) : PageModel, IReloadsPageData
{
    [BindProperty]
    public WorkInput Input { get; set; } = new();

    public string TicketNo { get; private set; } = "";

    public StaffTicket View { get; private set; } = null!;

    /// <summary>The ticket's key checks (卡密核验), newest first.</summary>
    public IReadOnlyList<KeyVerificationView> Verifications { get; private set; } = [];

    public DateTimeOffset Now { get; private set; }

    /// <summary>The template chosen with ?template=, if any.</summary>
    public Guid? TemplateId { get; private set; }

    /// <summary>What the last post did (a resource key under Workspace.Done.*), shown once after the redirect.</summary>
    [TempData]
    public string? Done { get; set; }

    public async Task OnGetAsync(string ticketNo, Guid? template, CancellationToken ct)
    {
        TicketNo = ticketNo;
        await LoadAsync(ct);
        if (template is { } id && View.Templates.FirstOrDefault(t => t.Id == id) is { } chosen)
        {
            TemplateId = id;
            Input.Body = chosen.Body;
        }
    }

    public Task<IActionResult> OnPostReplyAsync(string ticketNo, CancellationToken ct) =>
        SendAsync(ticketNo, new ReplyAsStaff(ticketNo, Input.Body, Input.WaitForBuyer ? TicketStatus.WaitingOnBuyer : null),
            Input.WaitForBuyer ? "RepliedWaiting" : "Replied", ct);

    public Task<IActionResult> OnPostNoteAsync(string ticketNo, CancellationToken ct) =>
        SendAsync(ticketNo, new AddInternalNote(ticketNo, Input.Note), "NoteAdded", ct);

    public Task<IActionResult> OnPostResolveAsync(string ticketNo, CancellationToken ct) =>
        SendAsync(ticketNo, new ResolveTicket(ticketNo, Input.Responsibility, Input.RootCause, Input.Resolution, Input.Reason, Input.ClosingMessage),
            "Resolved", ct);

    public Task<IActionResult> OnPostClaimAsync(string ticketNo, CancellationToken ct) =>
        SendAsync(ticketNo, new ClaimTicket(ticketNo), "Claimed", ct);

    public Task<IActionResult> OnPostReassignAsync(string ticketNo, CancellationToken ct) =>
        SendAsync(ticketNo, new ReassignTicket(ticketNo, Input.AgentId ?? Guid.Empty), "Reassigned", ct);

    public Task<IActionResult> OnPostStatusAsync(string ticketNo, CancellationToken ct) =>
        Input.To is { } to
            ? SendAsync(ticketNo, new SetTicketStatus(ticketNo, to), "StatusChanged", ct)
            : ReshowAsync(ticketNo, ct);

    /// <summary>"Verify keys": the ticket's keys are checked with the supplier now and acted on within policy.</summary>
    public Task<IActionResult> OnPostVerifyAsync(string ticketNo, CancellationToken ct) =>
        SendAsync(ticketNo, new VerifyTicketKeys(ticketNo), "Verified", ct);

    public async Task<IActionResult> OnPostUnfreezeAsync(string ticketNo, Guid cardKeyId, CancellationToken ct)
    {
        // Checked here as well as by the use case: its "Reason" error would otherwise land under the resolve form's reason box.
        if (string.IsNullOrWhiteSpace(Input.UnfreezeReason))
        {
            ModelState.AddModelError("", AppText.Get("Risk.UnfreezeReasonRequired"));
            return await ReshowAsync(ticketNo, ct);
        }
        return await SendAsync(ticketNo, new UnfreezeKey(cardKeyId, Input.UnfreezeReason), "Unfrozen", ct);
    }

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        Now = clock.GetUtcNow();
        View = await mediator.Send(new GetStaffTicket(TicketNo), cancellationToken);
        Verifications = await mediator.Send(new GetKeyVerifications(TicketNo), cancellationToken);
    }

    private async Task<IActionResult> SendAsync<T>(string ticketNo, IRequest<T> command, string done, CancellationToken ct)
    {
        TicketNo = ticketNo;
        await mediator.Send(command, ct);
        Done = done;
        return Redirect("/Admin/Tickets/" + Uri.EscapeDataString(ticketNo));
    }

    private async Task<IActionResult> ReshowAsync(string ticketNo, CancellationToken ct)
    {
        TicketNo = ticketNo;
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>All the forms of the page in one model; each use case reads its own fields (Body, Note, Reason …).</summary>
    public sealed class WorkInput
    {
        public string? Body { get; set; }
        public bool WaitForBuyer { get; set; }
        public string? Note { get; set; }
        public Responsibility? Responsibility { get; set; }
        public RootCause? RootCause { get; set; }
        public TicketResolution? Resolution { get; set; }
        public string? Reason { get; set; }
        public string? ClosingMessage { get; set; }
        public Guid? AgentId { get; set; }
        public TicketStatus? To { get; set; }
        public string? UnfreezeReason { get; set; }
    }
}
