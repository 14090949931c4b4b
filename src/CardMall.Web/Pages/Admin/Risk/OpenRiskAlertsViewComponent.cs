using CardMall.Application.Features.Risk;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace CardMall.Web.Pages.Admin.Risk;

/// <summary>The staff overview's card: how many risk alerts are open, and the latest few, linked to the full list.</summary>
public sealed class OpenRiskAlertsViewComponent(IMediator mediator) : ViewComponent
{
    public const int Latest = 3;

    public async Task<IViewComponentResult> InvokeAsync() =>
        View("~/Pages/Admin/Risk/_OpenRiskAlerts.cshtml", await mediator.Send(new ListRiskAlerts(Acknowledged: false, Page: 1, PageSize: Latest), HttpContext.RequestAborted));
}
