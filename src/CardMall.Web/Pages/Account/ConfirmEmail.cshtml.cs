using CardMall.Application.Features.Accounts;
using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Account;

/// <summary>The link from the confirmation e-mail; works signed in or not.</summary>
public sealed class ConfirmEmailModel(IMediator mediator) : PageModel
{
    public bool Confirmed { get; private set; }

    public async Task OnGetAsync(Guid userId, string? code, CancellationToken ct)
    {
        Confirmed = userId != Guid.Empty && !string.IsNullOrEmpty(code) && await mediator.Send(new ConfirmEmail(userId, code), ct);
        if (!Confirmed) Response.StatusCode = StatusCodes.Status400BadRequest;
    }
}
