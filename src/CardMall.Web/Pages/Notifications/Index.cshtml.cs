using CardMall.Application.Features.Notifications;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Notifications;

/// <summary>My notifications at /Notifications: opening one marks it read; "mark all read" clears the badge.</summary>
[Authorize]
public sealed class IndexModel(IMediator mediator) : PageModel
{
    public IReadOnlyList<NotificationView> Notifications { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Notifications = await mediator.Send(new ListNotifications(), ct);

    public async Task<IActionResult> OnPostReadAllAsync(CancellationToken ct)
    {
        await mediator.Send(new MarkNotificationsRead(), ct);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostOpenAsync(Guid id, CancellationToken ct)
    {
        var link = (await mediator.Send(new MarkNotificationsRead(id), ct)).Link;
        // Links are written by the shop itself, but only ever followed within the shop.
        return link is not null && Url.IsLocalUrl(link) ? LocalRedirect(link) : RedirectToPage();
    }
}
