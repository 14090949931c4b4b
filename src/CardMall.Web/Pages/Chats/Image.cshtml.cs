using CardMall.Application.Features.Chats;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Chats;

/// <summary>An image sent in a chat at /Chats/{chatId}/Images/{id}: for the chat's buyer and staff who answer chats; 404 for anybody else.</summary>
[Authorize]
public sealed class ImageModel(IMediator mediator) : PageModel
{
    public async Task<IActionResult> OnGetAsync(Guid chatId, Guid id, CancellationToken ct)
    {
        var file = await mediator.Send(new GetChatImage(chatId, id), ct);
        // Private evidence: no cache keeps it, and the browser never second-guesses its type.
        Response.Headers.CacheControl = "no-store";
        Response.Headers.XContentTypeOptions = "nosniff";
        var disposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("inline");
        disposition.SetHttpFileName(file.FileName);
        Response.Headers.ContentDisposition = disposition.ToString();
        return File(file.Content, file.ContentType);
    }
}
