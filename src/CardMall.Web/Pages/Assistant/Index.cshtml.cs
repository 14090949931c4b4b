using CardMall.Application.Features.Assistant;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace CardMall.Web.Pages.Assistant;

/// <summary>
/// The chat panel's door: <c>POST /Assistant?handler=Message</c> with <c>{text, conversationId}</c> (and the
/// antiforgery token in a header), answered as JSON without a page reload. Signed-in buyers get answers from
/// their own orders and tickets; visitors get the general ones. Same rate limit as the API.
/// </summary>
[EnableRateLimiting(Api.AssistantApi.Policy)]
public sealed class IndexModel(IMediator mediator, IStringLocalizer<Localization.SharedResource> text, Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery) : PageModel
{
    public sealed record MessageBody(string? Text, Guid? ConversationId);

    public IActionResult OnGet() => Page();

    /// <summary>
    /// The panel's antiforgery token, fetched when the visitor first writes: catalogue pages carry no token
    /// (and set no cookie) so that they can be served from the output cache to everyone.
    /// </summary>
    public IActionResult OnGetToken()
    {
        var tokens = antiforgery.GetAndStoreTokens(HttpContext);
        Response.Headers.CacheControl = "no-store";
        return new JsonResult(new { token = tokens.RequestToken });
    }

    public async Task<IActionResult> OnPostMessageAsync([FromBody] MessageBody? body, CancellationToken ct)
    {
        try
        {
            var reply = await mediator.Send(new SendAssistantMessage(body?.Text ?? "", body?.ConversationId), ct);
            return new JsonResult(new
            {
                reply.ConversationId,
                reply.Intent,
                reply.Reply,
                reply.TicketNo,
                Suggestions = reply.Suggestions.Select(i => new { Intent = i, Label = text["Assistant.Quick." + i].Value, Text = text["Assistant.Ask." + i].Value }),
            });
        }
        catch (FluentValidation.ValidationException e)
        {
            return BadRequest(new { error = e.Errors.Select(x => x.ErrorMessage).FirstOrDefault() });
        }
        catch (Domain.Common.NotFoundException)
        {
            // The conversation is gone or not this visitor's: start a new one.
            return NotFound(new { error = text["Assistant.Restart"].Value });
        }
    }
}
