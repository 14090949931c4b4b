using CardMall.Application.Features.Tickets;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Tickets;

/// <summary>
/// An evidence image at /Tickets/{ticketNo}/Attachments/{id}, for the buyer who owns the ticket and for
/// staff who work tickets (the agent workspace links here too); 404 for anybody else.
/// </summary>
[Authorize]
public sealed class AttachmentModel(IMediator mediator) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string ticketNo, Guid id, CancellationToken ct)
    {
        var file = await mediator.Send(new GetTicketAttachment(ticketNo, id), ct);
        // Private evidence: no cache keeps it (a shared computer after sign-out), and the browser never second-guesses its type.
        Response.Headers.CacheControl = "no-store";
        Response.Headers.XContentTypeOptions = "nosniff";
        var disposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("inline");
        disposition.SetHttpFileName(file.FileName);
        Response.Headers.ContentDisposition = disposition.ToString();
        return File(file.Content, file.ContentType);
    }
}
