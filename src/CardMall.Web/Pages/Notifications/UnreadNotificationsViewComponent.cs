using CardMall.Application.Features.Notifications;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace CardMall.Web.Pages.Notifications;

/// <summary>The bell in the header with the number of unread notifications (one COUNT query).</summary>
public sealed class UnreadNotificationsViewComponent(IMediator mediator, ILogger<UnreadNotificationsViewComponent> logger) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        int unread;
        try
        {
            unread = await mediator.Send(new CountUnread(), HttpContext.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The layout also frames the error page: a badge must not turn "database unavailable" into
            // a page that cannot render at all.
            // The type, not the message: a message may quote what the failing use case was handling.
            logger.LogWarning("Unread notifications could not be counted ({ExceptionType})", ex.GetType().FullName);
            unread = 0;
        }
        return View("~/Pages/Notifications/_UnreadBadge.cshtml", unread);
    }
}
