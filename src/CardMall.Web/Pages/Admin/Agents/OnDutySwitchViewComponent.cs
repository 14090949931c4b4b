using CardMall.Application.Features.Tickets;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace CardMall.Web.Pages.Admin.Agents;

/// <summary>
/// The duty switch in the staff header, for agents and supervisors: one click goes on or off duty and
/// comes back to the same page. Nothing for anyone else.
/// </summary>
public sealed class OnDutySwitchViewComponent(IMediator mediator, ILogger<OnDutySwitchViewComponent> logger) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        AgentDuty? duty;
        try
        {
            duty = await mediator.Send(new GetMyDuty(), HttpContext.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The header must render even when the database does not answer (the error page uses it too).
            // The type, not the message: a message may quote what the failing use case was handling.
            logger.LogWarning("The duty switch could not be read ({ExceptionType})", ex.GetType().FullName);
            duty = null;
        }
        return duty is null ? Content("") : View("~/Pages/Admin/Agents/_OnDutySwitch.cshtml", duty);
    }
}
