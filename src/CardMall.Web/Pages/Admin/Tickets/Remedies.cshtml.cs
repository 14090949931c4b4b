using CardMall.Application.Features.Tickets;
using CardMall.Domain.Accounts;
using CardMall.Domain.Tickets;
using CardMall.Web.Errors;
using CardMall.Web.Localization;
using CardMall.Web.Pages.Products;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CardMall.Web.Pages.Admin.Tickets;

/// <summary>
/// The remedies of one ticket at /Admin/Tickets/{ticketNo}/Remedies: replace a key, refund, compensate,
/// escalate to the supplier and record the supplier's answer. Each card is an ordinary form; a refused
/// one comes back with its errors in that card, a successful one redirects with a message.
/// </summary>
[Authorize(Roles = ShopRoles.TicketWorkList)]
public sealed class RemediesModel(IMediator mediator, IStringLocalizer<SharedResource> text) : PageModel, IReloadsPageData
{
    [BindProperty]
    public RemedyInput Input { get; set; } = new();

    public TicketRemedies Ticket { get; private set; } = null!;

    /// <summary>The card whose form was just sent and refused ("replace", "refund", "compensation", "escalate", "reply").</summary>
    public string? Posted { get; private set; }

    [TempData]
    public string? Done { get; set; }

    public string TicketNo => RouteData.Values["ticketNo"] as string ?? "";

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostReplaceAsync(CancellationToken ct)
    {
        Posted = "replace";
        var replaced = await mediator.Send(new ReplaceKey(TicketNo, Input.ItemId ?? Guid.Empty), ct);
        Done = text["Remedies.Done.Replaced", replaced.OrderNo];
        return RedirectToPage(new { ticketNo = TicketNo });
    }

    public Task<IActionResult> OnPostRefundAsync(CancellationToken ct) => PayAsync("refund", PayoutKind.Refund, ct);

    public Task<IActionResult> OnPostCompensationAsync(CancellationToken ct) => PayAsync("compensation", PayoutKind.Compensation, ct);

    public async Task<IActionResult> OnPostEscalateAsync(CancellationToken ct)
    {
        Posted = "escalate";
        var escalation = await mediator.Send(new EscalateToSupplier(TicketNo, Input.Question ?? ""), ct);
        Done = text["Remedies.Done.Escalated", ShopDisplay.Local(escalation.DueAt)];
        return RedirectToPage(new { ticketNo = TicketNo });
    }

    public async Task<IActionResult> OnPostReplyAsync(CancellationToken ct)
    {
        Posted = "reply";
        var recorded = await mediator.Send(new RecordSupplierReply(TicketNo, Input.CaseId ?? Guid.Empty, Input.Reply ?? ""), ct);
        Done = text[recorded.Status == TicketStatus.Open ? "Remedies.Done.ReplyReopened" : "Remedies.Done.Reply"];
        return RedirectToPage(new { ticketNo = TicketNo });
    }

    private async Task<IActionResult> PayAsync(string card, PayoutKind kind, CancellationToken ct)
    {
        Posted = card;
        var payout = await mediator.Send(new IssuePayout(TicketNo, kind, Input.Amount ?? 0, Input.Reason ?? "", Input.RequestKey ?? "",
            string.IsNullOrWhiteSpace(Input.OrderNo) ? null : Input.OrderNo), ct);
        var amount = ShopDisplay.Yuan(payout.Amount);
        Done = payout.Status switch
        {
            PayoutStatus.Pending => text["Remedies.Done.Pending", amount],
            PayoutStatus.Declined => text["Remedies.Done.AlreadyDeclined", amount],
            _ => text[kind == PayoutKind.Refund ? "Remedies.Done.Refunded" : "Remedies.Done.Compensated", amount],
        };
        return RedirectToPage(new { ticketNo = TicketNo });
    }

    public async Task LoadAsync(CancellationToken cancellationToken) =>
        Ticket = await mediator.Send(new GetTicketRemedies(TicketNo), cancellationToken);

    /// <summary>One shape for every card's form; <see cref="Posted"/> says which card sent it.</summary>
    public sealed class RemedyInput
    {
        public Guid? ItemId { get; set; }
        public string? OrderNo { get; set; }
        public decimal? Amount { get; set; }
        public string? Reason { get; set; }
        /// <summary>Generated when the form is shown: a double click or a resent form pays once.</summary>
        public string? RequestKey { get; set; }
        public string? Question { get; set; }
        public Guid? CaseId { get; set; }
        public string? Reply { get; set; }
    }
}

/// <summary>What the refund and compensation cards say about approval: paid at once up to <see cref="Left"/>, above it queued.</summary>
public sealed record ApprovalHint(string Card, decimal? Left, string LimitText);
