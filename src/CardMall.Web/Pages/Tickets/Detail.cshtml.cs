using CardMall.Application.Features.Tickets;
using CardMall.Web.Errors;
using CardMall.Web.Hosting;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace CardMall.Web.Pages.Tickets;

/// <summary>
/// One of my tickets at /Tickets/{ticketNo}: where it stands in plain words, the promised times in my
/// time zone, the public conversation and timeline, and what I can do — reply (with images), urge,
/// confirm, reopen, rate. Every action is an ordinary form post that comes back here. Somebody else's
/// ticket is a 404.
/// </summary>
[Authorize]
[RateLimitedPost(ShopLimit.TicketWriting, Handler = "Reply")]
[RequestSizeLimit(NewModel.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = NewModel.MaxRequestBytes)]
public sealed class DetailModel(IMediator mediator, IOptions<AfterSalesOptions> options, TimeProvider clock) : PageModel, IReloadsPageData
{
    /// <summary>TempData key of the one-line confirmation shown after an action (a resource key).</summary>
    public const string FlashKey = "TicketFlash";

    [BindProperty]
    public DetailInput Input { get; set; } = new();

    public MyTicketView Ticket { get; private set; } = null!;

    public string? Flash { get; private set; }

    public AfterSalesOptions Limits => options.Value;

    public DateTimeOffset Now => clock.GetUtcNow();

    private string TicketNo => RouteData.Values["ticketNo"] as string ?? "";

    public async Task OnGetAsync(CancellationToken ct)
    {
        Flash = TempData[FlashKey] as string;
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostReplyAsync(CancellationToken ct)
    {
        var evidence = await EvidenceFiles.ReadAsync(Input.Images, Limits.MaxAttachmentBytes, ct);
        var replied = await mediator.Send(new ReplyToTicket(TicketNo, Input.Body, evidence), ct);
        return Done(replied.Reopened ? "MyTickets.Flash.ReopenedByReply" : "MyTickets.Flash.Replied");
    }

    public async Task<IActionResult> OnPostUrgeAsync(CancellationToken ct)
    {
        var urged = await mediator.Send(new UrgeTicket(TicketNo), ct);
        return Done(urged.PriorityRaised ? "MyTickets.Flash.UrgedRaised" : "MyTickets.Flash.Urged");
    }

    public async Task<IActionResult> OnPostConfirmAsync(CancellationToken ct)
    {
        await mediator.Send(new ConfirmResolution(TicketNo), ct);
        return Done("MyTickets.Flash.Confirmed");
    }

    public async Task<IActionResult> OnPostReopenAsync(CancellationToken ct)
    {
        await mediator.Send(new ReopenTicket(TicketNo, Input.Reason), ct);
        return Done("MyTickets.Flash.Reopened");
    }

    public async Task<IActionResult> OnPostRateAsync(CancellationToken ct)
    {
        // No star chosen is 0, which the use case refuses with its own message.
        await mediator.Send(new RateTicket(TicketNo, Input.Score ?? 0, Input.Comment), ct);
        return Done("MyTickets.Flash.Rated");
    }

    public async Task<IActionResult> OnPostRefundDestinationAsync(CancellationToken ct)
    {
        var toWallet = await mediator.Send(new ChooseRefundDestination(TicketNo, Input.ToWallet), ct);
        return Done(toWallet ? "MyTickets.Flash.RefundToWallet" : "MyTickets.Flash.RefundToOriginal");
    }

    public async Task LoadAsync(CancellationToken cancellationToken) => Ticket = await mediator.Send(new GetMyTicket(TicketNo), cancellationToken);

    private RedirectToPageResult Done(string flash)
    {
        TempData[FlashKey] = flash;
        return RedirectToPage("/Tickets/Detail", new { ticketNo = TicketNo });
    }

    /// <summary>One input model for the page's forms; each form posts only its own fields.</summary>
    public sealed class DetailInput
    {
        public string? Body { get; set; }
        public List<IFormFile> Images { get; set; } = [];
        public int? Score { get; set; }
        public string? Comment { get; set; }
        public string? Reason { get; set; }
        public bool ToWallet { get; set; }
    }
}
