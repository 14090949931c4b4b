using CardMall.Application.Features.Chats;
using CardMall.Application.Features.Tickets;
using CardMall.Web.Errors;
using CardMall.Web.Hosting;
using CardMall.Web.Pages.Tickets;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace CardMall.Web.Pages.Chats;

/// <summary>
/// "联系客服" at /Chats (start a chat, the service history) and one chat at /Chats/{id}: the conversation, the place
/// in the queue, and what the buyer can do — write, send a screenshot, leave a message instead of waiting, end, rate,
/// turn it into a ticket. Every action is an ordinary form post that comes back here, so it all works without script;
/// chat.js makes it live over /hubs/chat. Somebody else's chat is a 404.
/// </summary>
[Authorize]
[RateLimitedPost(ShopLimit.TicketWriting, Handler = "Image")]
[RequestSizeLimit(NewModel.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = NewModel.MaxRequestBytes)]
public sealed class IndexModel(IMediator mediator, IOptions<AfterSalesOptions> options) : PageModel, IReloadsPageData
{
    public const string FlashKey = "ChatFlash";

    [BindProperty]
    public ChatInput Input { get; set; } = new();

    /// <summary>The chat shown at /Chats/{id}; null on /Chats.</summary>
    public ChatView? Chat { get; private set; }

    public IReadOnlyList<MyChatLine> History { get; private set; } = [];

    public string? Flash { get; private set; }

    public int MaxImageBytes => options.Value.MaxAttachmentBytes;

    private Guid? Id => RouteData.Values["id"] is string id && Guid.TryParse(id, out var g) ? g : null;

    public async Task OnGetAsync(string? order, CancellationToken ct)
    {
        Flash = TempData[FlashKey] as string;
        Input.OrderNo ??= order;
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostStartAsync(CancellationToken ct)
    {
        var started = await mediator.Send(new StartChat(Input.Quick ?? Input.Text ?? "", Input.OrderNo), ct);
        return Done(started.ChatId, started.TicketNo is null ? null : "Chat.Flash.Offline");
    }

    public async Task<IActionResult> OnPostSendAsync(CancellationToken ct)
    {
        await mediator.Send(new PostChatMessage(RequireId(), Input.Text ?? ""), ct);
        return Done(RequireId(), null);
    }

    public async Task<IActionResult> OnPostImageAsync(CancellationToken ct)
    {
        // No file chosen is an empty image, which the use case refuses with its own message.
        var images = await EvidenceFiles.ReadAsync(Input.Image is null ? [] : [Input.Image], MaxImageBytes, ct);
        var image = images.Count > 0 ? images[0] : new EvidenceUpload("", []);
        await mediator.Send(new SendChatImage(RequireId(), image), ct);
        return Done(RequireId(), null);
    }

    public async Task<IActionResult> OnPostLeaveAsync(CancellationToken ct)
    {
        await mediator.Send(new LeaveChatAsTicket(RequireId()), ct);
        return Done(RequireId(), "Chat.Flash.Left");
    }

    public async Task<IActionResult> OnPostEndAsync(CancellationToken ct)
    {
        await mediator.Send(new EndChat(RequireId()), ct);
        return Done(RequireId(), "Chat.Flash.Ended");
    }

    public async Task<IActionResult> OnPostRateAsync(CancellationToken ct)
    {
        await mediator.Send(new RateChat(RequireId(), Input.Score ?? 0, Input.Comment), ct);
        return Done(RequireId(), "Chat.Flash.Rated");
    }

    public async Task<IActionResult> OnPostTicketAsync(CancellationToken ct)
    {
        await mediator.Send(new TurnChatIntoTicket(RequireId()), ct);
        return Done(RequireId(), "Chat.Flash.Ticket");
    }

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (Id is { } id) Chat = await mediator.Send(new GetChat(id), cancellationToken);
        History = await mediator.Send(new ListMyChats(), cancellationToken);
    }

    private Guid RequireId() => Id ?? throw new Domain.Common.NotFoundException(Application.Localization.AppText.Get("Chats.NotFound"));

    private RedirectToPageResult Done(Guid chatId, string? flash)
    {
        if (flash is not null) TempData[FlashKey] = flash;
        return RedirectToPage("/Chats/Index", new { id = chatId });
    }

    /// <summary>One input model for the page's forms; each form posts only its own fields.</summary>
    public sealed class ChatInput
    {
        public string? Text { get; set; }
        /// <summary>A quick question pressed instead of typing.</summary>
        public string? Quick { get; set; }
        public string? OrderNo { get; set; }
        public IFormFile? Image { get; set; }
        public int? Score { get; set; }
        public string? Comment { get; set; }
    }
}
